package org.myelin.room.graph;

import java.util.List;

import org.myelin.db.room.EventRow;
import org.myelin.db.room.RoomRow;
import org.myelin.db.room.StateKey;
import org.myelin.federation.protocol.auth.AuthEvent;
import org.myelin.federation.protocol.auth.Membership;
import org.myelin.federation.protocol.auth.PowerLevels;
import org.myelin.federation.protocol.auth.RoomCreate;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.federation.protocol.room.RoomVersion;
import org.myelin.federation.protocol.room.RoomVersions;

import reactor.core.publisher.Mono;

/**
 * Permission checks outside the auth rules (alias deletion, directory listing, upgrades): whether a user is
 * joined to a room and has the power to send a given state event there, read from the room's current state.
 */
final class RoomPowers {

    private static final List<StateKey> KEYS = List.of(new StateKey(RoomCreate.TYPE, ""),
            new StateKey(PowerLevels.TYPE, ""));

    private final RoomStore store;

    RoomPowers(RoomStore store) {
        this.store = store;
    }

    /** Whether {@code user} is joined to the room and may send a state event of {@code type}. */
    Mono<Boolean> maySendState(UserId user, RoomRow room, String type) {
        return store.memberships().find(room.roomId(), user.toString())
                .filter(m -> Membership.JOIN.value().equals(m.membership()))
                .flatMap(m -> levels(room))
                .map(levels -> levels.userLevel(user.toString()) >= levels.sendLevel(type, true))
                .defaultIfEmpty(false);
    }

    /** The room's current power levels, read under its version's rules. */
    Mono<PowerLevels> levels(RoomRow room) {
        RoomVersion version = version(room);
        return store.currentState().events(room.roomId(), KEYS).map(rows -> {
            AuthEvent create = view(rows, RoomCreate.TYPE, version);
            if (create == null) {
                throw new MatrixException(ErrCode.M_UNKNOWN, "Room has no create event");
            }
            return PowerLevels.of(view(rows, PowerLevels.TYPE, version), RoomCreate.of(create, version), version);
        });
    }

    static RoomVersion version(RoomRow room) {
        return RoomVersions.find(room.roomVersion()).orElseThrow(
                () -> new MatrixException(ErrCode.M_UNSUPPORTED_ROOM_VERSION, "Unknown room version"));
    }

    static AuthEvent view(List<EventRow> rows, String type, RoomVersion version) {
        return rows.stream().filter(row -> type.equals(row.type())).findFirst()
                .map(row -> (AuthEvent) new EventView(row.eventId(), EventBuilder.parse(row.json(), version), version))
                .orElse(null);
    }
}
