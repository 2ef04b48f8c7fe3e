package org.myelin.clientapi.http;

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
 * over the limit is M_TOO_LARGE (also when it arrives chunked, without a Content-Length). Strings and keys holding
 * U+0000 are M_BAD_JSON: PostgreSQL can store NUL in neither text nor jsonb, so they could only fail later as a 500.
 */
@Component
public class JsonBodies {

    private final ObjectMapper mapper;
    private final int maxBytes;

    public JsonBodies(ObjectMapper mapper, ClientApiSettings settings) {
        this.mapper = mapper;
        this.maxBytes = (int) Math.min(Integer.MAX_VALUE, settings.maxRequestBytes());
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
            throw new MatrixException(ErrCode.M_NOT_JSON, "Content not JSON");
        }
        if (node == null || node.isMissingNode()) {
            throw new MatrixException(ErrCode.M_NOT_JSON, "Content not JSON");
        }
        if (!node.isObject()) {
            throw new MatrixException(ErrCode.M_BAD_JSON, "Request body must be a JSON object");
        }
        if (containsNul(node)) {
            throw new MatrixException(ErrCode.M_BAD_JSON, "Strings must not contain U+0000");
        }
        return node;
    }

    private static boolean containsNul(JsonNode node) {
        if (node.isString()) {
            return node.asString().indexOf('\0') >= 0;
        }
        if (node.isObject()) {
            return node.properties().stream()
                    .anyMatch(e -> e.getKey().indexOf('\0') >= 0 || containsNul(e.getValue()));
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                if (containsNul(element)) {
                    return true;
                }
            }
        }
        return false;
    }
}
