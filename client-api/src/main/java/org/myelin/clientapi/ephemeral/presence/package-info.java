/**
 * Presence: {@code PUT/GET /presence/{userId}/status}, {@link org.myelin.clientapi.ephemeral.presence.PresenceSetter}
 * for /sync's {@code set_presence}, and the "presence" sync stream. Cheap by construction: a write is one row and
 * a position, never a fan-out; who sees it is decided by shared rooms when a sync reads the changes; activity
 * refreshes {@code last_active_ts} without a position, and {@code last_active_ago} is computed when read.
 * {@code myelin.presence.enabled=false} turns all of it off as Synapse's {@code presence.enabled: false} does.
 */
package org.myelin.clientapi.ephemeral.presence;
