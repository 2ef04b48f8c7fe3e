package org.myelin.ephemeral;

import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/**
 * Where the ephemeral services hand what a local user did to the other servers in the room: the federation
 * sender queues it as an EDU for each of them. Without federation nothing leaves the server.
 */
@FunctionalInterface
public interface OutboundEdus {

    /** Federation off: nothing is sent. */
    OutboundEdus NONE = (roomId, eduType, content) -> Mono.empty();

    /** Sends an EDU of {@code eduType} to every other server with a member joined to {@code roomId}. */
    Mono<Void> toRoom(String roomId, String eduType, ObjectNode content);
}
