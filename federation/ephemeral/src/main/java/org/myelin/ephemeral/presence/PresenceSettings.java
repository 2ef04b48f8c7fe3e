package org.myelin.ephemeral.presence;

/**
 * Presence configuration.
 *
 * @param enabled false turns presence off: updates are accepted and ignored, nobody's presence is sent in /sync,
 *                and GET answers {@code offline}
 */
public record PresenceSettings(boolean enabled) {
}
