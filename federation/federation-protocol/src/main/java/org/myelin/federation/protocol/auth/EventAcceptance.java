package org.myelin.federation.protocol.auth;

import java.util.Objects;

import org.myelin.federation.protocol.room.RoomVersion;

/**
 * The three authorisation checks a PDU passes before it joins a room's graph
 * (https://spec.matrix.org/v1.19/server-server-api/#checks-performed-on-receipt-of-a-pdu, steps 4–6), for remote
 * and local events alike:
 * <ol>
 * <li>against the event's own auth events: failing it, the event is <em>rejected</em>;</li>
 * <li>against the state before the event (the resolved state after its {@code prev_events}): failing it, the event
 * is <em>rejected</em>;</li>
 * <li>against the room's current state: failing it, the event is <em>soft-failed</em>: stored and usable as an
 * auth event, but neither shown to clients, nor a forward extremity, nor part of the current state.</li>
 * </ol>
 * A local event whose auth events are picked from the current state, and whose state before is the current state,
 * runs the same checks; any failure is then a refusal of the client's request.
 */
public final class EventAcceptance {

    private final AuthRules rules;

    public EventAcceptance(AuthRules rules) {
        this.rules = Objects.requireNonNull(rules, "rules");
    }

    /**
     * The outcome of the three checks, stopping at the first that fails.
     *
     * @param authEvents   the state given by the event's own auth events ({@link AuthState#ofAuthEvents})
     * @param stateBefore  the state before the event
     * @param currentState the room's current state
     */
    public Acceptance check(AuthEvent event, AuthState authEvents, AuthState stateBefore, AuthState currentState,
            RoomVersion version) {
        AuthResult byAuthEvents = rules.check(event, authEvents, version);
        if (!byAuthEvents.allowed()) {
            return Acceptance.rejected("auth events: " + byAuthEvents.reason());
        }
        AuthResult byStateBefore = stateBefore == authEvents ? byAuthEvents : rules.check(event, stateBefore, version);
        if (!byStateBefore.allowed()) {
            return Acceptance.rejected("state before: " + byStateBefore.reason());
        }
        AuthResult byCurrentState = currentState == stateBefore ? byStateBefore
                : rules.check(event, currentState, version);
        if (!byCurrentState.allowed()) {
            return Acceptance.softFailed("current state: " + byCurrentState.reason());
        }
        return Acceptance.ACCEPTED;
    }

    /**
     * What becomes of a checked event.
     *
     * @param outcome accepted, rejected or soft-failed
     * @param reason  why it was not accepted (which check, which rule); empty when accepted
     */
    public record Acceptance(Outcome outcome, String reason) {

        public static final Acceptance ACCEPTED = new Acceptance(Outcome.ACCEPTED, "");

        public Acceptance {
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(reason, "reason");
        }

        static Acceptance rejected(String reason) {
            return new Acceptance(Outcome.REJECTED, reason);
        }

        static Acceptance softFailed(String reason) {
            return new Acceptance(Outcome.SOFT_FAILED, reason);
        }

        public boolean accepted() {
            return outcome == Outcome.ACCEPTED;
        }
    }

    /** The three fates of a checked event. */
    public enum Outcome {
        ACCEPTED, REJECTED, SOFT_FAILED
    }
}
