package org.myelin.federation.protocol.xmatrix;

import java.util.Optional;

import org.myelin.federation.protocol.id.ServerName;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The parts of a federation request that its X-Matrix signature covers.
 *
 * @param method      the HTTP method, e.g. {@code PUT}
 * @param uri         the path and query starting with {@code /_matrix/}, without scheme or host
 * @param origin      the sending server's name (before any delegation)
 * @param destination the receiving server's name (before any delegation)
 * @param content     the parsed JSON body; empty when the request has no body
 */
public record XMatrixRequest(String method, String uri, ServerName origin, ServerName destination,
                             Optional<JsonNode> content) {

    /** The JSON object that is signed: method, uri, origin, destination and, with a body, content. */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("method", method);
        json.put("uri", uri);
        json.put("origin", origin.value());
        json.put("destination", destination.value());
        content.ifPresent(body -> json.set("content", body));
        return json;
    }
}
