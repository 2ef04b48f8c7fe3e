package org.myelin.federation.protocol.auth;

import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * The view of a PDU that the authorisation rules read. It is an interface so that the rules stay independent of
 * how events are parsed and stored: the event layer adapts its PDU class to it.
 */
public interface AuthEvent {

    /** The event ID, "$..." (with a server part in room versions 1–2). */
    String eventId();

    /** The room ID, or {@code null} for an {@code m.room.create} event in room versions whose room ID is derived
     * from the create event (v12+). */
    String roomId();

    /** The event type, e.g. {@code m.room.member}. */
    String type();

    /** The state key, or {@code null} when this is not a state event. */
    String stateKey();

    /** The user ID of the sender. */
    String sender();

    /** The event content; an empty object when the PDU has none. */
    JsonNode content();

    /** The event IDs listed in {@code auth_events}, in PDU order. */
    List<String> authEventIds();

    /** The event IDs listed in {@code prev_events}, in PDU order. */
    List<String> prevEventIds();

    /** {@code depth}: the event's distance from the create event, which state resolution v1 orders by. */
    long depth();

    /** {@code origin_server_ts} in milliseconds since the epoch, the tie-breaker that orders events of equal power. */
    long originServerTs();

    /** The top-level {@code redacts} property of an {@code m.room.redaction} event, or {@code null}. Only room
     * versions 1–2 give redactions an authorisation rule, and those carry {@code redacts} at the top level. */
    String redacts();

    /** Whether this event was itself rejected by the checks performed on receipt of a PDU. Events taken from the
     * current room state are never rejected. */
    boolean rejected();
}
