package org.myelin.federation.protocol.push;

/**
 * The member whose rules are evaluated.
 *
 * @param userId      their Matrix ID
 * @param displayName their display name in the room (from their {@code m.room.member} event), or null
 */
public record Recipient(String userId, String displayName) {
}
