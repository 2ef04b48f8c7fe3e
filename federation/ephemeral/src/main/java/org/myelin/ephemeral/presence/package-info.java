/**
 * Presence: {@link org.myelin.ephemeral.presence.PresenceService} changes it, cheaply by construction: a write is
 * one row and a position, never a fan-out; activity refreshes {@code last_active_ts} without a position.
 * {@link org.myelin.ephemeral.presence.PresenceStates} holds the states and the view of a stored presence.
 */
package org.myelin.ephemeral.presence;
