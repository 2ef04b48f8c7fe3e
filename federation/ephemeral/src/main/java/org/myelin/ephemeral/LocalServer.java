package org.myelin.ephemeral;

/**
 * This homeserver's name, to tell its users from other servers' users.
 *
 * @param serverName the part after ':' in local user IDs
 */
public record LocalServer(String serverName) {

    /** Whether {@code userId} (already parsed) belongs to this server. */
    public boolean isLocal(String userId) {
        return userId.endsWith(":" + serverName);
    }
}
