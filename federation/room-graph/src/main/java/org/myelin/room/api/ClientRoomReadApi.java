package org.myelin.room.api;

import org.myelin.federation.protocol.id.EventId;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.UserId;

import reactor.core.publisher.Mono;

/**
 * Redactions and the reads around single events: context, relations, threads, the event closest to a time, and
 * reports. Every read applies the room's history visibility like {@link ClientRoomApi}'s: a user who may read
 * nothing of the room gets 403 M_FORBIDDEN; an event the user may not see is 404 M_NOT_FOUND like an unknown one.
 * Events come back in the form reads return them (redacted ones redacted, with {@code unsigned.redacted_because}).
 */
public interface ClientRoomReadApi {

    /**
     * Redacts an event. A repeat of the same (user, device, room, event, txnId) returns the first redaction's ID.
     * Without the redact power level only one's own events can be redacted (403 M_FORBIDDEN).
     *
     * @param reason the reason, or null
     */
    Mono<EventId> redact(UserId sender, String deviceId, RoomId roomId, EventId eventId, String reason,
            String txnId);

    /** The event with up to {@code limit} visible events around it and the state at the last one. */
    Mono<EventContext> context(UserId requester, RoomId roomId, EventId eventId, int limit, EventFilter filter);

    /** A page of the events relating to an event. */
    Mono<RelationsPage> relations(UserId requester, RoomId roomId, RelationsQuery query);

    /**
     * A page of thread roots, the most recently active first, each with its {@code m.thread} aggregation.
     *
     * @param participatedOnly keep only threads the requester sent the root or a reply of
     * @param from             continue after this token, or null to start with the latest thread
     */
    Mono<ThreadsPage> threads(UserId requester, RoomId roomId, boolean participatedOnly, TimelinePosition from,
            int limit);

    /** The visible event closest to {@code ts} in the direction asked; 404 M_NOT_FOUND when there is none. */
    Mono<RoomEvent> eventAt(UserId requester, RoomId roomId, long ts, boolean forwards);

    /**
     * Reports an event to the server's administrators; 404 M_NOT_FOUND when the reporter is not joined or cannot
     * see the event.
     *
     * @param reason the reason, or null
     * @param score  the deprecated score (-100 to 0), or null
     */
    Mono<Void> report(UserId reporter, RoomId roomId, EventId eventId, String reason, Integer score);

    /**
     * Reports a room to the server's administrators; the reporter need not be in it. 404 M_NOT_FOUND when this
     * server does not know the room.
     */
    Mono<Void> reportRoom(UserId reporter, RoomId roomId, String reason);

    /**
     * Reports a user to the server's administrators. Only reports of this server's existing users are stored; one of
     * any other user succeeds without being stored, so that it tells nothing of who exists (as Synapse does).
     */
    Mono<Void> reportUser(UserId reporter, UserId target, String reason);
}
