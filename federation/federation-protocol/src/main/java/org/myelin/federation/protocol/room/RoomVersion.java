package org.myelin.federation.protocol.room;

/**
 * One room version as data: every rule that differs between versions is a named flag here, so code asks
 * {@code version.knockingAllowed()} and never compares version strings.
 * Source: https://spec.matrix.org/v1.19/rooms/ and ../shared/spec/vectors/rooms/room_versions.json.
 *
 * @param id                         the version string, e.g. "12"
 * @param stable                     listed as stable in the spec (all of 1–12 are)
 * @param eventIdFormat              how event IDs are formed (v1–2 server-generated, v3 standard base64, v4+ URL-safe)
 * @param redaction                  which redaction algorithm applies
 * @param stateResolution            which state resolution algorithm applies
 * @param strictCanonicalJson        v6+: reject floats and out-of-range integers in events
 * @param enforceKeyValidity         v5+: a signing key's valid_until_ts must cover the event's origin_server_ts
 * @param specialCaseAliasesAuth     v1–5: m.room.aliases has its own auth rule (sender's domain must match state_key)
 * @param limitNotificationsPowerLevels v6+: changing notifications.room needs the power it names
 * @param knockingAllowed            v7+: join_rule "knock" and membership "knock"
 * @param restrictedJoinAllowed      v8+: join_rule "restricted" with allow conditions
 * @param knockRestrictedJoinAllowed v10+: join_rule "knock_restricted"
 * @param integerPowerLevelsOnly     v10+: power level values must be JSON integers (no strings)
 * @param implicitRoomCreator        v11+: m.room.create has no "creator"; the sender is the creator
 * @param redactsInContent           v11+: m.room.redaction carries "redacts" inside content
 * @param roomIdFromCreateEvent      v12+: the room ID is "!" + URL-safe reference hash of the create event,
 *                                   and the create event is not listed in auth_events
 * @param privilegedCreators         v12+: creators (sender + additional_creators) have infinite power
 * @param signaturesFromEventIdDomain v1–2: the event ID's server must also sign the event
 */
public record RoomVersion(
        String id,
        boolean stable,
        EventIdFormat eventIdFormat,
        RedactionAlgorithm redaction,
        StateResolutionAlgorithm stateResolution,
        boolean strictCanonicalJson,
        boolean enforceKeyValidity,
        boolean specialCaseAliasesAuth,
        boolean limitNotificationsPowerLevels,
        boolean knockingAllowed,
        boolean restrictedJoinAllowed,
        boolean knockRestrictedJoinAllowed,
        boolean integerPowerLevelsOnly,
        boolean implicitRoomCreator,
        boolean redactsInContent,
        boolean roomIdFromCreateEvent,
        boolean privilegedCreators,
        boolean signaturesFromEventIdDomain) {

    /** How the event ID of a PDU is obtained. */
    public enum EventIdFormat {
        /** v1–2: "$opaque:server", chosen by the origin server and carried in the PDU. */
        SERVER_GENERATED,
        /** v3: "$" + unpadded standard base64 of the reference hash. */
        REFERENCE_HASH_STANDARD_BASE64,
        /** v4+: "$" + unpadded URL-safe base64 of the reference hash. */
        REFERENCE_HASH_URL_SAFE_BASE64
    }

    /** The redaction algorithm variants, named after the room version that introduced each. */
    public enum RedactionAlgorithm { V1, V6, V8, V9, V11 }

    /** The state resolution algorithm variants. */
    public enum StateResolutionAlgorithm { V1, V2, V2_1 }

    /** True when the PDU carries an explicit event_id field (v1–2). */
    public boolean eventIdInPdu() {
        return eventIdFormat == EventIdFormat.SERVER_GENERATED;
    }
}
