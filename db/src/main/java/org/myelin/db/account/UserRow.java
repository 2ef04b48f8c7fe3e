package org.myelin.db.account;

/** One row of {@code users}; {@code guest} for a guest account not yet upgraded. */
public record UserRow(String userId, String localpart, String passwordHash, boolean admin, boolean deactivated,
        long createdTs, boolean guest) {
}
