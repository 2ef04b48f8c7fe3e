package org.myelin.federation.protocol.auth;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.myelin.federation.protocol.room.RoomVersion;

/**
 * The authorisation rules of room versions 1–12 (https://spec.matrix.org/v1.19/rooms/). Numbered comments give the
 * room v12 number; {@link AuthRule} maps sections to their numbers in older versions. Version differences come only
 * from {@link RoomVersion} flags.
 *
 * <p>Redactions: in room versions 3+ a redaction is authorised like any other event; whether it is <em>applied</em>
 * ("Handling redactions": redact level, or same sender domain as the redacted event) is decided where redactions
 * are applied, not here, because it needs the redacted event.
 */
public final class AuthRules {

    private static final String ALIASES_TYPE = "m.room.aliases";
    private static final String REDACTION_TYPE = "m.room.redaction";

    private final MembershipRules membershipRules;

    /**
     * @param thirdPartyInvites checks the signatures of third-party invites
     * @param serverSignatures  says whether an event is validly signed by a server (restricted joins, v8+)
     */
    public AuthRules(ThirdPartyInviteVerifier thirdPartyInvites, ServerSignatureVerifier serverSignatures) {
        this.membershipRules = new MembershipRules(Objects.requireNonNull(thirdPartyInvites),
                Objects.requireNonNull(serverSignatures));
    }

    /**
     * Checks {@code event} against {@code state} under {@code version}'s rules. When {@code state} was built from
     * the event's own auth events ({@link AuthState#ofAuthEvents}), the rules about the auth_events list run too.
     */
    public AuthResult check(AuthEvent event, AuthState state, RoomVersion version) {
        // 1. If type is m.room.create: checked on its own.
        if (RoomCreate.TYPE.equals(event.type())) {
            return CreateRules.check(event, version);
        }
        Optional<AuthEvent> createEvent = state.get(RoomCreate.TYPE, "");
        // 2. (v12) The room_id must name an accepted create event.
        if (version.roomIdFromCreateEvent()) {
            AuthResult roomId = AuthEventsRules.checkRoomId(event, createEvent);
            if (roomId != null) {
                return roomId;
            }
        }
        // 3. (v1–11: 2.) Considering the event's auth_events.
        Optional<List<AuthEvent>> listed = state.listedAuthEvents();
        if (listed.isPresent()) {
            AuthResult authEvents = AuthEventsRules.checkListed(event, listed.get(), version);
            if (authEvents != null) {
                return authEvents;
            }
        }
        if (createEvent.isEmpty()) {
            return AuthResult.reject(AuthRule.AUTH_EVENTS_CREATE, "the state has no m.room.create event");
        }
        AuthContext ctx = new AuthContext(event, state, version, RoomCreate.of(createEvent.get(), version));
        AuthResult result = checkFederateAndAliases(ctx);
        if (result != null) {
            return result;
        }
        // 5. (v6–11: 4.) If type is m.room.member.
        if (Membership.TYPE.equals(event.type())) {
            return membershipRules.check(ctx);
        }
        return checkJoinedSender(ctx);
    }

    /** Rule 4 (v1–11: 3) and, in v1–5, rule 4 on m.room.aliases; null when neither decides. */
    private static AuthResult checkFederateAndAliases(AuthContext ctx) {
        AuthEvent event = ctx.event;
        // 4. (v1–11: 3.) If m.federate is false and the sender's domain is not the create event sender's, reject.
        if (!ctx.create.federate()
                && !UserIds.domain(event.sender()).equals(UserIds.domain(ctx.create.event().sender()))) {
            return AuthResult.reject(AuthRule.FEDERATE, "the room is not federated and "
                    + event.sender() + " is on another server than its creator");
        }
        if (ctx.version.specialCaseAliasesAuth() && ALIASES_TYPE.equals(event.type())) {
            // v1–5 4.1 If event has no state_key, reject.
            if (event.stateKey() == null) {
                return AuthResult.reject(AuthRule.ALIASES_STATE_KEY, "m.room.aliases needs a state_key");
            }
            // v1–5 4.2 If sender's domain doesn't match state_key, reject.
            if (!UserIds.domain(event.sender()).equals(event.stateKey())) {
                return AuthResult.reject(AuthRule.ALIASES_DOMAIN, "state_key is not the sender's domain");
            }
            // v1–5 4.3 Otherwise, allow.
            return AuthResult.allow(AuthRule.ALIASES_OTHERWISE);
        }
        return null;
    }

    /** Rules 6–11 (v6–11: 5–10; v1–2: 6–12), for every event that is not a create or member event. */
    private static AuthResult checkJoinedSender(AuthContext ctx) {
        AuthEvent event = ctx.event;
        // 6. If the sender's current membership state is not join, reject.
        if (!ctx.is(event.sender(), Membership.JOIN)) {
            return AuthResult.reject(AuthRule.SENDER_JOINED, event.sender() + " is not joined");
        }
        // 7. If type is m.room.third_party_invite: allow if and only if the sender has the invite level.
        if (AuthEventSelection.THIRD_PARTY_INVITE_TYPE.equals(event.type())) {
            return ctx.senderLevel() >= ctx.powerLevels.get("invite")
                    ? AuthResult.allow(AuthRule.THIRD_PARTY_INVITE)
                    : AuthResult.reject(AuthRule.THIRD_PARTY_INVITE, "third-party invites need the invite level");
        }
        // 8. If the event type's required power level is greater than the sender's power level, reject.
        long required = ctx.powerLevels.sendLevel(event.type(), event.stateKey() != null);
        if (required > ctx.senderLevel()) {
            return AuthResult.reject(AuthRule.REQUIRED_POWER,
                    event.type() + " needs power " + required + ", the sender has " + ctx.senderLevel());
        }
        // 9. If the event has a state_key that starts with an @ and does not match the sender, reject.
        if (event.stateKey() != null && event.stateKey().startsWith("@") && !event.stateKey().equals(event.sender())) {
            return AuthResult.reject(AuthRule.STATE_KEY_USER, "state_key " + event.stateKey() + " is another user");
        }
        // 10. If type is m.room.power_levels.
        if (PowerLevels.TYPE.equals(event.type())) {
            return PowerLevelRules.check(ctx);
        }
        // v1–2 11. If type is m.room.redaction.
        if (hasRedactionRule(ctx.version) && REDACTION_TYPE.equals(event.type())) {
            return checkRedaction(ctx);
        }
        // 11. (v1–2: 12; v3–5: 11; v6–11: 10.) Otherwise, allow.
        return AuthResult.allow(AuthRule.OTHERWISE);
    }

    /**
     * Whether redactions have their own auth rule: only v1–2, which are exactly the versions whose event IDs carry
     * a server name, which rule 11.2 compares.
     */
    private static boolean hasRedactionRule(RoomVersion version) {
        return version.eventIdInPdu();
    }

    private static AuthResult checkRedaction(AuthContext ctx) {
        AuthEvent event = ctx.event;
        // v1–2 11.1 If the sender's power level is greater than or equal to the redact level, allow.
        if (ctx.senderLevel() >= ctx.powerLevels.get("redact")) {
            return AuthResult.allow(AuthRule.REDACTION);
        }
        // v1–2 11.2 If the domain of the redacted event's event_id is that of the redaction's event_id, allow.
        if (event.redacts() != null && UserIds.domain(event.redacts()).equals(UserIds.domain(event.eventId()))) {
            return AuthResult.allow(AuthRule.REDACTION);
        }
        // v1–2 11.3 Otherwise, reject.
        return AuthResult.reject(AuthRule.REDACTION, "redacting another server's event needs the redact level");
    }
}
