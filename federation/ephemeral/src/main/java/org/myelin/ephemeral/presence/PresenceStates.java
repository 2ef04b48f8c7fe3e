package org.myelin.ephemeral.presence;

import java.time.Duration;
import java.util.Set;

import org.myelin.db.ephemeral.PresenceRepository.Presence;
import org.myelin.federation.protocol.error.MatrixException;

import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The presence states and the client view of a stored presence (pure). */
public final class PresenceStates {

    public static final String ONLINE = "online";
    public static final String UNAVAILABLE = "unavailable";
    public static final String OFFLINE = "offline";
    private static final Set<String> STATES = Set.of(ONLINE, UNAVAILABLE, OFFLINE);
    /** An online user active this recently is {@code currently_active}. */
    static final Duration ACTIVE_WINDOW = Duration.ofMinutes(5);

    private PresenceStates() {
    }

    /** Whether {@code state} is one of the spec's three. */
    public static boolean isValid(String state) {
        return state != null && STATES.contains(state);
    }

    /** The state, or 400 M_INVALID_PARAM when it is not one of the spec's three. */
    public static String check(String state) {
        if (!STATES.contains(state)) {
            throw MatrixException.invalidParam("presence must be one of online, unavailable, offline");
        }
        return state;
    }

    /** The content of m.presence and of GET /presence/{userId}/status, as seen at {@code now}. */
    public static ObjectNode content(Presence p, long now) {
        ObjectNode content = JsonNodeFactory.instance.objectNode().put("presence", p.state());
        if (p.lastActiveTs() > 0) {
            long ago = Math.max(0, now - p.lastActiveTs());
            content.put("last_active_ago", ago);
            content.put("currently_active", ONLINE.equals(p.state()) && ago < ACTIVE_WINDOW.toMillis());
        }
        if (p.statusMsg() != null) {
            content.put("status_msg", p.statusMsg());
        }
        return content;
    }

    /** The content for a user without stored presence (or when presence is off). */
    public static ObjectNode offline() {
        return JsonNodeFactory.instance.objectNode().put("presence", OFFLINE);
    }
}
