/**
 * Presence: {@code PUT/GET /presence/{userId}/status} and the "presence" sync stream; the writes are
 * {@link org.myelin.ephemeral.presence.PresenceService}'s (also for /sync's {@code set_presence}). Cheap by
 * construction: a write is one row and a position, never a fan-out; who sees it is decided by shared rooms when a
 * sync reads the changes; activity refreshes {@code last_active_ts} without a position, and
 * {@code last_active_ago} is computed when read. {@code myelin.presence.enabled=false} turns all of it off as
 * Synapse's {@code presence.enabled: false} does.
 */
package org.myelin.clientapi.ephemeral.presence;
