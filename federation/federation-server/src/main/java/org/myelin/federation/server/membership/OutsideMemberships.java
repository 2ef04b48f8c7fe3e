package org.myelin.federation.server.membership;

import org.myelin.db.room.MembershipRow;
import org.myelin.db.room.RemoteInviteRepository.RemoteInvite;
import org.myelin.federation.protocol.event.Pdu;
import org.myelin.federation.protocol.room.RoomVersion;
import org.myelin.room.graph.RoomStore;

import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ArrayNode;

/**
 * A local user's invite to, or knock on, a room this server is not in: the event and the room's stripped preview
 * kept in {@code remote_invites}, and the membership, at a stream position of its own so that /sync shows it.
 */
final class OutsideMemberships {

    private final RoomStore store;

    OutsideMemberships(RoomStore store) {
        this.store = store;
    }

    Mono<Void> keep(Pdu event, RoomVersion version, ArrayNode stripped, String membership) {
        String roomId = event.roomId().value();
        String userId = event.stateKey().orElseThrow();
        return store.db().inTransaction(store.events().nextStreamOrdering().flatMap(stream -> store.remoteInvites()
                .save(new RemoteInvite(roomId, userId, event.eventId().value(), version.id(), event.canonicalJson(),
                        stripped.toString(), stream))
                .then(store.memberships().put(new MembershipRow(roomId, userId, membership,
                        event.eventId().value(), stream, false)))));
    }
}
