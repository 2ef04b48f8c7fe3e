package org.myelin.federation.server.auth;

import java.util.Optional;

import org.myelin.federation.protocol.id.ServerName;

import tools.jackson.databind.JsonNode;

/**
 * A federation request whose X-Matrix signature verified.
 *
 * @param origin the server that signed it
 * @param body   the JSON body the signature covered; empty for requests without one
 */
public record SignedRequest(ServerName origin, Optional<JsonNode> body) {
}
