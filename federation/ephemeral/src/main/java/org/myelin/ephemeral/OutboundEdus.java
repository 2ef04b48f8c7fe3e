package org.myelin.ephemeral;

import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/**
 * Where the ephemeral services hand what a local user did to other servers: the federation sender queues it as an
 * EDU for each of them. Called inside the transaction of the change, the EDU is queued if and only if the change
 * commits. Without federation nothing leaves the server.
 */
public interface OutboundEdus {

    /** Federation off: nothing is sent. */
    OutboundEdus NONE = new OutboundEdus() {
        @Override
        public Mono<Void> toRoom(String roomId, String eduType, ObjectNode content) {
            return Mono.empty();
        }

        @Override
        public Mono<Void> toServersOf(String userId, String eduType, ObjectNode content) {
            return Mono.empty();
        }

        @Override
        public Mono<Void> toServer(String server, String eduType, ObjectNode content) {
            return Mono.empty();
        }
    };

    /** Sends an EDU of {@code eduType} to every other server with a member joined to {@code roomId}. */
    Mono<Void> toRoom(String roomId, String eduType, ObjectNode content);

    /** Sends an EDU to every other server with a member joined to a room {@code userId} is joined to. */
    Mono<Void> toServersOf(String userId, String eduType, ObjectNode content);

    /** Sends an EDU to one server, whether or not it shares a room with this one. */
    Mono<Void> toServer(String server, String eduType, ObjectNode content);
}
