package org.myelin.federation.server.room;

import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.federation.server.api.TimelinePosition;

import reactor.core.publisher.Mono;

/**
 * The one place that decides whether a user may read a room, and how far: members read everything; a former
 * member reads up to the event that ended their membership; anyone who never joined gets 403 M_FORBIDDEN (as does
 * a request for an unknown room, so room existence does not leak). The room's history_visibility rules plug in
 * here; every read in {@link RoomReader} goes through {@link #scope}.
 */
final class RoomReadAccess {

    private final RoomStore store;

    RoomReadAccess(RoomStore store) {
        this.store = store;
    }

    /** What {@code user} may read of {@code roomId}; errors with 403 M_FORBIDDEN when nothing. */
    Mono<ReadScope> scope(UserId user, RoomId roomId) {
        String room = roomId.value();
        String userId = user.toString();
        return store.memberships().find(room, userId)
                .switchIfEmpty(Mono.error(() -> notInRoom(roomId)))
                .flatMap(membership -> {
                    if ("join".equals(membership.membership())) {
                        return Mono.just(ReadScope.CURRENT);
                    }
                    return store.events().everHadMembership(room, userId, "join").flatMap(joined -> joined
                            ? store.events().find(membership.eventId()).flatMap(event -> store.stateGroups()
                                    .groupOfEvent(event.eventId()).map(group -> new ReadScope(new TimelinePosition(
                                            event.topologicalOrdering(), event.streamOrdering()), group)))
                            : Mono.error(notInRoom(roomId)));
                });
    }

    private static MatrixException notInRoom(RoomId roomId) {
        return MatrixException.forbidden("You are not allowed to read room " + roomId.value());
    }
}
