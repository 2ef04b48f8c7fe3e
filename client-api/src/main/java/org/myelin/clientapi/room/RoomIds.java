package org.myelin.clientapi.room;

import org.myelin.clientapi.auth.Requester;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.UserId;
import org.springframework.web.reactive.function.server.ServerRequest;

/** Typed identifiers from path variables and the requester (a malformed ID is 400 M_INVALID_PARAM). */
final class RoomIds {

    private RoomIds() {
    }

    static RoomId room(ServerRequest request) {
        return RoomId.parse(request.pathVariable("roomId"));
    }

    static UserId user(Requester requester) {
        return UserId.parse(requester.userId());
    }
}
