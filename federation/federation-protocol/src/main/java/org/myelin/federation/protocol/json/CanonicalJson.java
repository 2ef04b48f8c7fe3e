package org.myelin.federation.protocol.json;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.room.RoomVersion;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Parses JSON received from clients and servers, and encodes JSON trees as Matrix Canonical JSON
 * (appendices "Canonical JSON"). Parse failures throw {@link MatrixException}: {@code M_NOT_JSON} for text that
 * is not JSON at all, {@code M_BAD_JSON} for JSON that breaks the canonical rules (duplicate keys, floats or
 * out-of-range integers in strict mode, lone surrogates).
 */
public final class CanonicalJson {

    /** How numbers outside the canonical grammar are treated. */
    public enum Mode {
        /** Room v6+ events and every non-event object: only integers in [-(2^53)+1, 2^53-1]. */
        STRICT,
        /**
         * Rooms v1–5, whose events "might not be fully compliant": large integers and fractions are kept
         * (servers SHOULD handle such JSON where possible).
         */
        LENIENT;

        /** The mode a room version's events are hashed, signed and validated with. */
        public static Mode of(RoomVersion version) {
            return version.strictCanonicalJson() ? STRICT : LENIENT;
        }
    }

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private CanonicalJson() {
    }

    /** Parses UTF-8 JSON text into a tree whose numbers are already in canonical form. */
    public static JsonNode parse(byte[] json, Mode mode) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw failure(e);
        }
        return normalise(tree, mode);
    }

    /** Parses JSON text into a tree whose numbers are already in canonical form. */
    public static JsonNode parse(String json, Mode mode) {
        return parse(json.getBytes(StandardCharsets.UTF_8), mode);
    }

    /** Parses JSON text that must be an object, as every event and request body is. */
    public static ObjectNode parseObject(byte[] json, Mode mode) {
        JsonNode tree = parse(json, mode);
        if (!tree.isObject()) {
            throw MatrixException.badJson("Expected a JSON object");
        }
        return (ObjectNode) tree;
    }

    /** Encodes a tree as strict canonical JSON, the form for everything that is not a room v1–5 event. */
    public static byte[] encode(JsonNode value) {
        return encode(value, Mode.STRICT);
    }

    /** Encodes a tree as canonical JSON UTF-8 bytes; throws {@code M_BAD_JSON} if the mode forbids a value. */
    public static byte[] encode(JsonNode value, Mode mode) {
        return new CanonicalJsonWriter(mode).write(value);
    }

    /** Encodes a tree as a canonical JSON string. */
    public static String encodeToString(JsonNode value, Mode mode) {
        return new String(encode(value, mode), StandardCharsets.UTF_8);
    }

    private static MatrixException failure(JacksonException e) {
        String message = e.getOriginalMessage();
        if (e instanceof StreamReadException && message != null && message.startsWith("Duplicate Object property")) {
            return MatrixException.badJson("Duplicate key in JSON object");
        }
        return new MatrixException(ErrCode.M_NOT_JSON, "Content is not valid JSON");
    }

    /** Replaces every number with its canonical node, rejecting what the mode forbids. */
    private static JsonNode normalise(JsonNode node, Mode mode) {
        if (node == null || node.isMissingNode()) {
            throw new MatrixException(ErrCode.M_NOT_JSON, "Content is empty");
        }
        if (node.isNumber()) {
            return CanonicalNumbers.normalise(node, mode);
        }
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            for (String name : List.copyOf(object.propertyNames())) {
                JsonNode child = object.get(name);
                if (child.isNumber() || child.isContainer()) {
                    object.set(name, normalise(child, mode));
                }
            }
        } else if (node.isArray()) {
            ArrayNode array = (ArrayNode) node;
            for (int i = 0; i < array.size(); i++) {
                JsonNode child = array.get(i);
                if (child.isNumber() || child.isContainer()) {
                    array.set(i, normalise(child, mode));
                }
            }
        }
        return node;
    }
}
