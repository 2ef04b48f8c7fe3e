package org.myelin.room.api;

import java.util.List;

import org.myelin.federation.protocol.id.EventId;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.UserId;

import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the Client-Server API may do with rooms. Every write goes through the room graph (built, signed,
 * authorised and persisted under the room's lock); every read checks that the requester may see the room.
 * Failures are {@code MatrixException}s ready for the client: rejected by the auth rules or not allowed to read
 * is 403 M_FORBIDDEN; an unknown room is 403 for everything but join and knock, which answer 404 M_NOT_FOUND.
 */
public interface ClientRoomApi {

    /** Creates a room with the events the spec's createRoom order implies, all in one transaction. */
    Mono<RoomId> createRoom(UserId creator, CreateRoomRequest request);

    /**
     * Sends a message event. With a transaction id, a repeat of the same (user, device, room, type, txnId) returns
     * the first event's ID and sends nothing.
     */
    Mono<EventId> send(UserId sender, String deviceId, RoomId roomId, String type, ObjectNode content,
            String txnId);

    /** Sends a state event. */
    Mono<EventId> sendState(UserId sender, String deviceId, RoomId roomId, StateContent state);

    /** Sends a membership event (join, leave, kick, invite, ban, unban, knock). */
    Mono<EventId> changeMembership(MembershipChange change);

    /** Forgets a room the user has left; 400 M_UNKNOWN while the user is still joined or invited. */
    Mono<Void> forget(UserId user, RoomId roomId);

    /** The room's state as the requester may see it (now, or when they left). */
    Mono<List<RoomEvent>> state(UserId requester, RoomId roomId);

    /** One state event as the requester may see it; 404 M_NOT_FOUND when there is none. */
    Mono<RoomEvent> stateEvent(UserId requester, RoomId roomId, String type, String stateKey);

    /** One event of the room; 404 M_NOT_FOUND when it is unknown or in another room. */
    Mono<RoomEvent> event(UserId requester, RoomId roomId, EventId eventId);

    /**
     * One event, whichever room it is in (the deprecated GET /events/{eventId}); 404 M_NOT_FOUND when it is unknown or
     * the requester may not see it.
     */
    Mono<RoomEvent> event(UserId requester, EventId eventId);

    /** The member events of the room, filtered. */
    Mono<List<RoomEvent>> members(UserId requester, RoomId roomId, MembersQuery query);

    /** The rooms the user is joined to. */
    Mono<List<RoomId>> joinedRooms(UserId user);

    /** A page of the room's timeline. */
    Mono<MessagesPage> messages(UserId requester, RoomId roomId, MessagesQuery query);
}
