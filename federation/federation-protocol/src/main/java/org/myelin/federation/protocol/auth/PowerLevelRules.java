package org.myelin.federation.protocol.auth;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import org.myelin.federation.protocol.room.RoomVersion;

import tools.jackson.databind.JsonNode;

/**
 * Rule 10 (v1–5: 10, v6–11: 9), for {@code m.room.power_levels} events. Numbers are room v12's; v10–11 lack 10.4
 * and v1–9 lack 10.1–10.2 (so their 10.3 is 9.1/10.1, and so on).
 */
final class PowerLevelRules {

    private static final String[] MAPS = {"events", "notifications"};

    private PowerLevelRules() {
    }

    static AuthResult check(AuthContext ctx) {
        AuthResult malformed = checkShape(ctx.event.content(), ctx.version, ctx.create);
        if (malformed != null) {
            return malformed;
        }
        // 10.5 If there is no previous m.room.power_levels event in the room, allow.
        if (!ctx.powerLevels.exists()) {
            return AuthResult.allow(AuthRule.POWER_LEVELS_FIRST);
        }
        PowerLevels current = ctx.powerLevels;
        PowerLevels proposed = PowerLevels.of(ctx.event, ctx.create, ctx.version);
        long sender = ctx.senderLevel();
        // 10.6 For each of users_default, events_default, state_default, ban, redact, kick, invite that was added,
        // changed or removed: reject if the current or the new value is higher than the sender's power.
        for (String key : PowerLevels.TOP_LEVEL_KEYS) {
            Long before = current.explicitTopLevel().get(key);
            Long after = proposed.explicitTopLevel().get(key);
            if (!Objects.equals(before, after) && (above(before, sender) || above(after, sender))) {
                return AuthResult.reject(AuthRule.POWER_LEVELS_TOP_LEVEL,
                        key + " " + before + " -> " + after + " is beyond the sender's power " + sender);
            }
        }
        // 10.7 / 10.8 For each entry changed in, removed from or added to events (v6+: and notifications), reject if
        // the current or the new value is greater than the sender's power.
        String events = alteredBeyond(current.events(), proposed.events(), sender);
        if (events != null) {
            return AuthResult.reject(AuthRule.POWER_LEVELS_EVENTS, "events." + events + " is beyond the sender");
        }
        if (ctx.version.limitNotificationsPowerLevels()) {
            String notifications = alteredBeyond(current.notifications(), proposed.notifications(), sender);
            if (notifications != null) {
                return AuthResult.reject(AuthRule.POWER_LEVELS_NOTIFICATIONS,
                        "notifications." + notifications + " is beyond the sender");
            }
        }
        return checkUsers(ctx.event.sender(), current.users(), proposed.users(), sender);
    }

    private static AuthResult checkUsers(String senderId, Map<String, Long> before, Map<String, Long> after,
            long sender) {
        Set<String> userIds = new TreeSet<>(before.keySet());
        userIds.addAll(after.keySet());
        // 10.9 For each entry changed in or removed from users, other than the sender's own: reject if the current
        // value is greater than or equal to the sender's power.
        for (String userId : userIds) {
            Long old = before.get(userId);
            if (old != null && !old.equals(after.get(userId)) && !userId.equals(senderId) && old >= sender) {
                return AuthResult.reject(AuthRule.POWER_LEVELS_USERS_CHANGED,
                        userId + " has power " + old + ", not below the sender's " + sender);
            }
        }
        // 10.10 For each entry added to or changed in users: reject if the new value is greater than the sender's
        // power.
        for (String userId : userIds) {
            Long now = after.get(userId);
            if (now != null && !now.equals(before.get(userId)) && now > sender) {
                return AuthResult.reject(AuthRule.POWER_LEVELS_USERS_GRANTED,
                        userId + " would get " + now + ", above the sender's " + sender);
            }
        }
        // 10.11 Otherwise, allow.
        return AuthResult.allow(AuthRule.POWER_LEVELS_OTHERWISE);
    }

    /** Rules 10.1–10.4: the content itself, before any comparison with the current power levels. */
    private static AuthResult checkShape(JsonNode content, RoomVersion version, RoomCreate create) {
        if (version.integerPowerLevelsOnly()) {
            // 10.1 (v10+) If any top-level level is present and not an integer, reject.
            for (String key : PowerLevels.TOP_LEVEL_KEYS) {
                if (content.has(key) && PowerLevels.level(content.get(key), version).isEmpty()) {
                    return AuthResult.reject(AuthRule.POWER_LEVELS_INTEGERS, key + " is not an integer");
                }
            }
            // 10.2 (v10+) If events or notifications is present and not an object with integer values, reject.
            for (String map : MAPS) {
                if (content.has(map) && !isLevelMap(content.get(map), version)) {
                    return AuthResult.reject(AuthRule.POWER_LEVELS_MAPS, map + " is not an object of integers");
                }
            }
        }
        // 10.3 If users is not an object with keys that are valid user IDs with values that are integers (v1–9: or
        // strings that are integers; v1–5: or floats), reject.
        JsonNode users = content.path("users");
        if (!users.isMissingNode() && !isLevelMap(users, version)) {
            return AuthResult.reject(AuthRule.POWER_LEVELS_USERS, "users is not an object of levels");
        }
        for (String userId : users.propertyNames()) {
            if (!UserIds.isValid(userId)) {
                return AuthResult.reject(AuthRule.POWER_LEVELS_USERS, "users has a key that is no user ID: " + userId);
            }
        }
        // 10.4 (v12) If users contains the sender of the m.room.create event or an additional creator, reject.
        for (String userId : users.propertyNames()) {
            if (version.privilegedCreators() && create.creators().contains(userId)) {
                return AuthResult.reject(AuthRule.POWER_LEVELS_CREATORS, userId + " is a creator, beyond any level");
            }
        }
        return null;
    }

    private static boolean isLevelMap(JsonNode map, RoomVersion version) {
        if (!map.isObject()) {
            return false;
        }
        for (JsonNode value : map.values()) {
            if (PowerLevels.level(value, version).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** The first key whose alteration involves a value above {@code sender}, or null. */
    private static String alteredBeyond(Map<String, Long> before, Map<String, Long> after, long sender) {
        Set<String> keys = new TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        for (String key : keys) {
            Long old = before.get(key);
            Long now = after.get(key);
            if (!Objects.equals(old, now) && (above(old, sender) || above(now, sender))) {
                return key;
            }
        }
        return null;
    }

    private static boolean above(Long value, long sender) {
        return value != null && value > sender;
    }
}
