/**
 * Typing notifications: {@code PUT /rooms/{roomId}/typing/{userId}}, the "typing" sync stream and the sweeper
 * that gives lapsed notifications a position. Whether a user types is always decided from the stored expiry.
 */
package org.myelin.clientapi.ephemeral.typing;
