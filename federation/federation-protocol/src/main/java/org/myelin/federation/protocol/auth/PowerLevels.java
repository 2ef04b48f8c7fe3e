package org.myelin.federation.protocol.auth;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Pattern;

import org.myelin.federation.protocol.room.RoomVersion;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * A lenient view of {@code m.room.power_levels} with the spec's defaults, under the value rules of one room version:
 * integers, numeric strings and floats (truncated) in v1–5; integers and numeric strings in v6–9; integers only in
 * v10+. Values the version does not accept are ignored here (the strict checks on a new power levels event are in
 * {@link PowerLevelRules}). From v12 the room's creators have infinite power whatever the event says.
 */
public final class PowerLevels {

    /** The event type of the power levels event. */
    public static final String TYPE = "m.room.power_levels";
    /** The power of v12 room creators: above every level an event can name. */
    public static final long INFINITE = Long.MAX_VALUE;
    /** The top-level levels, in the order the spec lists them for change checks. */
    public static final List<String> TOP_LEVEL_KEYS =
            List.of("users_default", "events_default", "state_default", "ban", "redact", "kick", "invite");

    private static final long MAX_FINITE = INFINITE - 1;
    private static final long CREATOR_WITHOUT_POWER_LEVELS = 100;
    private static final Map<String, Long> DEFAULTS = Map.of("users_default", 0L, "events_default", 0L,
            "state_default", 50L, "ban", 50L, "redact", 50L, "kick", 50L, "invite", 0L);
    private static final long NOTIFICATION_DEFAULT = 50;
    /** Spec "m.room.power_levels events accept values as strings" (v1–9). */
    private static final Pattern NUMERIC_STRING = Pattern.compile("\\s*[+-]?[0-9]+\\s*");

    private final boolean exists;
    private final Map<String, Long> topLevel;
    private final Map<String, Long> events;
    private final Map<String, Long> notifications;
    private final Map<String, Long> users;
    private final RoomCreate create;
    private final RoomVersion version;

    private PowerLevels(JsonNode content, RoomCreate create, RoomVersion version) {
        this.exists = content != null;
        JsonNode body = exists ? content : MissingNode.getInstance();
        this.topLevel = new LinkedHashMap<>();
        for (String key : TOP_LEVEL_KEYS) {
            OptionalLong value = level(body.path(key), version);
            if (value.isPresent()) {
                topLevel.put(key, value.getAsLong());
            }
        }
        this.events = levels(body.path("events"), version);
        this.notifications = levels(body.path("notifications"), version);
        this.users = levels(body.path("users"), version);
        this.create = create;
        this.version = version;
    }

    /** The power levels given by {@code event}, or the defaults when the room has none ({@code event} null). */
    public static PowerLevels of(AuthEvent event, RoomCreate create, RoomVersion version) {
        return new PowerLevels(event == null ? null : event.content(), create, version);
    }

    /**
     * One level value under {@code version}'s rules, or empty when the version does not accept it. Values beyond
     * the range of {@code long} saturate just below {@link #INFINITE}.
     */
    public static OptionalLong level(JsonNode value, RoomVersion version) {
        if (value.isIntegralNumber()) {
            return OptionalLong.of(saturate(value.bigIntegerValue()));
        }
        if (value.isFloatingPointNumber() && !version.strictCanonicalJson()) {
            double number = value.doubleValue();
            return Double.isFinite(number)
                    ? OptionalLong.of(saturate(new BigDecimal(number).toBigInteger()))
                    : OptionalLong.empty();
        }
        if (value.isString() && !version.integerPowerLevelsOnly()
                && NUMERIC_STRING.matcher(value.stringValue()).matches()) {
            return OptionalLong.of(saturate(new BigInteger(value.stringValue().strip())));
        }
        return OptionalLong.empty();
    }

    private static long saturate(BigInteger value) {
        if (value.compareTo(BigInteger.valueOf(MAX_FINITE)) > 0) {
            return MAX_FINITE;
        }
        return value.compareTo(BigInteger.valueOf(Long.MIN_VALUE)) < 0 ? Long.MIN_VALUE : value.longValue();
    }

    private static Map<String, Long> levels(JsonNode map, RoomVersion version) {
        Map<String, Long> result = new LinkedHashMap<>();
        if (map.isObject()) {
            for (Map.Entry<String, JsonNode> entry : map.properties()) {
                level(entry.getValue(), version).ifPresent(value -> result.put(entry.getKey(), value));
            }
        }
        return Collections.unmodifiableMap(result);
    }

    /** Whether the room has a power levels event at all. */
    public boolean exists() {
        return exists;
    }

    /** The power of {@code userId}: infinite for v12 creators, 100 for the creator of a v1–11 room without power
     * levels, otherwise {@code users[userId]} or {@code users_default}. */
    public long userLevel(String userId) {
        if (version.privilegedCreators() && create.creators().contains(userId)) {
            return INFINITE;
        }
        if (!exists && !version.privilegedCreators() && userId.equals(create.creator())) {
            return CREATOR_WITHOUT_POWER_LEVELS;
        }
        Long explicit = users.get(userId);
        return explicit != null ? explicit : get("users_default");
    }

    /** The level needed to send an event of {@code type}: {@code events[type]}, else state_default or
     * events_default. */
    public long sendLevel(String type, boolean stateEvent) {
        Long explicit = events.get(type);
        if (explicit != null) {
            return explicit;
        }
        return get(stateEvent ? "state_default" : "events_default");
    }

    /** A top-level level ({@link #TOP_LEVEL_KEYS}) with its default applied. */
    public long get(String key) {
        Long explicit = topLevel.get(key);
        return explicit != null ? explicit : DEFAULTS.get(key);
    }

    /** The level for notification {@code key} (e.g. "room"), default 50. */
    public long notificationLevel(String key) {
        return notifications.getOrDefault(key, NOTIFICATION_DEFAULT);
    }

    /** The top-level levels the event states explicitly (and the version accepts). */
    public Map<String, Long> explicitTopLevel() {
        return Collections.unmodifiableMap(topLevel);
    }

    /** {@code events}, as stated. */
    public Map<String, Long> events() {
        return events;
    }

    /** {@code notifications}, as stated. */
    public Map<String, Long> notifications() {
        return notifications;
    }

    /** {@code users}, as stated. */
    public Map<String, Long> users() {
        return users;
    }
}
