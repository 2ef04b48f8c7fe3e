package org.myelin.federation.protocol.auth;

import java.util.Objects;

/**
 * The key of a room state entry: {@code (type, state_key)}.
 *
 * @param type     the event type
 * @param stateKey the state key; never {@code null} (non-state events have no tuple)
 */
public record StateTuple(String type, String stateKey) {

    public StateTuple {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(stateKey, "stateKey");
    }

    /** The tuple of a state event, or {@code null} when the event has no state key. */
    public static StateTuple of(AuthEvent event) {
        return event.stateKey() == null ? null : new StateTuple(event.type(), event.stateKey());
    }
}
