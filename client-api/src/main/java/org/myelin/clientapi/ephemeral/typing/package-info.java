/**
 * Typing notifications: {@code PUT /rooms/{roomId}/typing/{userId}} and the "typing" sync stream; the writes and
 * the sweeper that gives lapsed notifications a position are in {@link org.myelin.ephemeral.typing}. Whether a
 * user types is always decided from the stored expiry.
 */
package org.myelin.clientapi.ephemeral.typing;
