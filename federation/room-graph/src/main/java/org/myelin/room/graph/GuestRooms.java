package org.myelin.room.graph;

import org.myelin.db.account.UserRepository;
import org.myelin.db.room.CurrentStateRepository;
import org.myelin.db.room.EventRow;
import org.myelin.federation.protocol.auth.Membership;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.room.api.ClientRoomApi;
import org.myelin.room.api.MembershipChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The rooms guests may be in (spec: "Guest Access", Server behaviour): a guest may join only a room whose current
 * {@code m.room.guest_access} is {@code can_join} (403 M_GUEST_ACCESS_FORBIDDEN otherwise, also for a room this
 * server does not know), and when a room stops being so, its local guests are made to leave: after a local
 * client's state change and after one accepted from another server alike.
 */
public class GuestRooms {

    static final String GUEST_ACCESS = "m.room.guest_access";
    private static final Logger LOG = LoggerFactory.getLogger(GuestRooms.class);

    private final CurrentStateRepository currentState;
    private final UserRepository users;
    private final ClientRoomApi rooms;
    private final ObjectMapper mapper;

    public GuestRooms(CurrentStateRepository currentState, UserRepository users, ClientRoomApi rooms,
            ObjectMapper mapper) {
        this.currentState = currentState;
        this.users = users;
        this.rooms = rooms;
        this.mapper = mapper;
    }

    /** Errors with 403 M_GUEST_ACCESS_FORBIDDEN unless guests may join the room. */
    public Mono<Void> requireJoinable(RoomId roomId) {
        return guestsCanJoin(roomId).flatMap(ok -> ok ? Mono.empty()
                : Mono.error(new MatrixException(ErrCode.M_GUEST_ACCESS_FORBIDDEN, "Guest access not allowed")));
    }

    /**
     * After a state event of {@code type} was stored, locally sent or accepted from another server: when it is
     * m.room.guest_access and the room's current state no longer lets guests join, every local guest joined to the
     * room leaves it (each as themselves, as Synapse does). Never fails: the state change stands either way, and a
     * guest that could not be removed is logged.
     */
    public Mono<Void> afterStateChange(RoomId roomId, String type) {
        if (!GUEST_ACCESS.equals(type)) {
            return Mono.empty();
        }
        return guestsCanJoin(roomId).flatMap(ok -> ok ? Mono.empty() : evictGuests(roomId))
                .onErrorResume(e -> {
                    LOG.warn("Could not remove the guests of {}: {}", roomId.value(), e.toString());
                    return Mono.empty();
                });
    }

    private Mono<Void> evictGuests(RoomId roomId) {
        return currentState.eventsOfType(roomId.value(), "m.room.member")
                .map(members -> members.stream().filter(m -> "join".equals(membership(m)))
                        .map(EventRow::stateKey).toList())
                .flatMap(users::guestsAmong)
                .flatMapMany(Flux::fromIterable)
                .concatMap(guest -> {
                    UserId user = UserId.parse(guest);
                    return rooms.changeMembership(new MembershipChange(roomId, user, user, Membership.LEAVE, null,
                                    false))
                            .onErrorResume(e -> {
                                LOG.warn("Could not remove guest {} from {}: {}", guest, roomId.value(), e.toString());
                                return Mono.empty();
                            });
                })
                .then();
    }

    private Mono<Boolean> guestsCanJoin(RoomId roomId) {
        return currentState.event(roomId.value(), GUEST_ACCESS, "")
                .map(row -> "can_join".equals(content(row).path("guest_access").asString("")))
                .defaultIfEmpty(false);
    }

    private String membership(EventRow row) {
        return content(row).path("membership").asString("");
    }

    private JsonNode content(EventRow row) {
        return mapper.readTree(row.json()).path("content");
    }
}
