package org.myelin.federation.protocol.state;

import java.util.Optional;

import org.myelin.federation.protocol.auth.AuthEvent;

/**
 * The events state resolution reads, looked up by event ID in memory. The caller preloads the events of the
 * state maps being resolved and their auth chains, together with each event's rejection status; the resolver
 * never performs I/O.
 */
@FunctionalInterface
public interface EventLookup {

    /** The event with this ID, or empty when the caller does not have it. */
    Optional<AuthEvent> find(String eventId);
}
