package org.myelin.http;

import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;

import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Reads request bodies as JSON objects: not JSON is M_NOT_JSON, JSON that is not an object is M_BAD_JSON, a body
 * over the limit is M_TOO_LARGE (also when it arrives chunked, without a Content-Length). Strings and keys that are
 * not valid Unicode text are M_BAD_JSON: U+0000, which PostgreSQL can store in neither text nor jsonb (it could only
 * fail later as a 500), and lone UTF-16 surrogates such as {@code "\ud800"}, which JSON's escapes can express but
 * no Unicode text contains (canonical JSON, hashes and signatures are defined over UTF-8, which cannot encode them).
 */
@Component
public class JsonBodies {

    private static final String INVALID_TEXT = "Strings must be valid Unicode without U+0000 or lone surrogates";

    private final ObjectMapper mapper;
    private final HttpLimits limits;

    public JsonBodies(ObjectMapper mapper, HttpLimits limits) {
        this.mapper = mapper;
        this.limits = limits;
    }

    /** The body as a JSON object; an absent body is an error. */
    public Mono<JsonNode> object(ServerRequest request) {
        return bytes(request).map(this::parseObject)
                .switchIfEmpty(Mono.error(() -> new MatrixException(ErrCode.M_NOT_JSON, "Request body is empty")));
    }

    /** The body as a JSON object; an absent or empty body counts as {@code {}} (for endpoints where it is optional). */
    public Mono<JsonNode> optionalObject(ServerRequest request) {
        return bytes(request).map(this::parseObject).defaultIfEmpty(JsonNodeFactory.instance.objectNode());
    }

    private Mono<byte[]> bytes(ServerRequest request) {
        int maxBytes = (int) Math.min(Integer.MAX_VALUE, limits.maxBytesFor(request.path()));
        return DataBufferUtils.join(request.exchange().getRequest().getBody(), maxBytes).map(buffer -> {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            DataBufferUtils.release(buffer);
            return bytes;
        }).filter(b -> b.length > 0);
    }

    private JsonNode parseObject(byte[] bytes) {
        JsonNode node;
        try {
            node = mapper.readTree(bytes);
        } catch (JacksonException e) {
            // Jackson itself refuses a broken surrogate pair in a property name: valid JSON syntax, invalid text.
            if (String.valueOf(e.getOriginalMessage()).contains("surrogate")) {
                throw new MatrixException(ErrCode.M_BAD_JSON, INVALID_TEXT);
            }
            throw new MatrixException(ErrCode.M_NOT_JSON, "Content not JSON");
        }
        if (node == null || node.isMissingNode()) {
            throw new MatrixException(ErrCode.M_NOT_JSON, "Content not JSON");
        }
        if (!node.isObject()) {
            throw new MatrixException(ErrCode.M_BAD_JSON, "Request body must be a JSON object");
        }
        if (containsInvalidText(node)) {
            throw new MatrixException(ErrCode.M_BAD_JSON, INVALID_TEXT);
        }
        return node;
    }

    private static boolean containsInvalidText(JsonNode node) {
        if (node.isString()) {
            return !isValidText(node.asString());
        }
        if (node.isObject()) {
            return node.properties().stream()
                    .anyMatch(e -> !isValidText(e.getKey()) || containsInvalidText(e.getValue()));
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                if (containsInvalidText(element)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** No U+0000 and every surrogate in a high-low pair. */
    static boolean isValidText(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                return false;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
