package org.myelin.db.account;

/** One row of {@code users}. */
public record UserRow(String userId, String localpart, String passwordHash, boolean admin, boolean deactivated,
        long createdTs) {
}
