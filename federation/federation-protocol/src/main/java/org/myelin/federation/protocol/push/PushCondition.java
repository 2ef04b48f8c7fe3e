package org.myelin.federation.protocol.push;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.myelin.federation.protocol.filter.EventFields;

import tools.jackson.databind.JsonNode;

/**
 * One push rule condition (https://spec.matrix.org/v1.19/client-server-api/#conditions-1), parsed once so that
 * evaluating it for each member of a room does no parsing. A condition that cannot be understood (an unknown kind,
 * a missing or mistyped parameter) never matches, as the spec requires of unrecognised conditions.
 */
public sealed interface PushCondition {

    /** Whether the condition holds for {@code event} and {@code recipient}. */
    boolean matches(PushEvent event, Recipient recipient);

    /** The condition a JSON {@code PushCondition} describes. */
    static PushCondition parse(JsonNode json) {
        String kind = json.path("kind").asString("");
        JsonNode key = json.get("key");
        boolean hasKey = key != null && key.isString();
        return switch (kind) {
            case "event_match" -> hasKey && json.path("pattern").isString()
                    ? new EventMatch(EventFields.split(key.asString()), key.asString().equals("content.body")
                            ? Glob.words(json.get("pattern").asString())
                            : Glob.whole(json.get("pattern").asString()))
                    : Never.INSTANCE;
            case "event_property_is" -> hasKey && isScalar(json.get("value"))
                    ? new EventPropertyIs(EventFields.split(key.asString()), json.get("value"))
                    : Never.INSTANCE;
            case "event_property_contains" -> hasKey && isScalar(json.get("value"))
                    ? new EventPropertyContains(EventFields.split(key.asString()), json.get("value"))
                    : Never.INSTANCE;
            case "contains_display_name" -> ContainsDisplayName.INSTANCE;
            case "room_member_count" -> json.path("is").isString() ? RoomMemberCount.parse(json.get("is").asString())
                    : Never.INSTANCE;
            case "sender_notification_permission" -> hasKey ? new SenderNotificationPermission(key.asString())
                    : Never.INSTANCE;
            default -> Never.INSTANCE;
        };
    }

    /** Whether {@code value} is a non-compound canonical JSON value: a string, an integer, a boolean or null. */
    private static boolean isScalar(JsonNode value) {
        return value != null && (value.isString() || value.isIntegralNumber() || value.isBoolean() || value.isNull());
    }

    /** Whether two non-compound values are the same: same type and value (integers compared as numbers). */
    static boolean sameValue(JsonNode expected, JsonNode actual) {
        if (actual == null) {
            return false;
        }
        if (expected.isIntegralNumber()) {
            return actual.isIntegralNumber() && expected.bigIntegerValue().equals(actual.bigIntegerValue());
        }
        if (expected.isString()) {
            return actual.isString() && expected.asString().equals(actual.asString());
        }
        if (expected.isBoolean()) {
            return actual.isBoolean() && expected.booleanValue() == actual.booleanValue();
        }
        return expected.isNull() && actual.isNull();
    }

    /** {@code event_match}: a glob against a string property (word-bounded for {@code content.body}). */
    record EventMatch(List<String> path, Glob glob) implements PushCondition {

        private static final List<String> BODY = List.of("content", "body");

        @Override
        public boolean matches(PushEvent event, Recipient recipient) {
            if (glob.wantsLowered() && path.equals(BODY)) {
                return event.loweredBody() != null && glob.matchesLowered(event.loweredBody());
            }
            JsonNode value = event.value(path);
            return value != null && value.isString() && glob.matches(value.asString());
        }
    }

    /** {@code event_property_is}: the property is exactly {@code value}. */
    record EventPropertyIs(List<String> path, JsonNode value) implements PushCondition {
        @Override
        public boolean matches(PushEvent event, Recipient recipient) {
            return sameValue(value, event.value(path));
        }
    }

    /** {@code event_property_contains}: the property is an array with an element exactly {@code value}. */
    record EventPropertyContains(List<String> path, JsonNode value) implements PushCondition {
        @Override
        public boolean matches(PushEvent event, Recipient recipient) {
            JsonNode array = event.value(path);
            if (array == null || !array.isArray()) {
                return false;
            }
            for (JsonNode element : array) {
                if (sameValue(value, element)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** {@code contains_display_name}: the body holds the recipient's display name between word boundaries. */
    enum ContainsDisplayName implements PushCondition {
        INSTANCE;

        @Override
        public boolean matches(PushEvent event, Recipient recipient) {
            String name = recipient.displayName();
            String body = event.loweredBody();
            return name != null && !name.isEmpty() && body != null && DisplayNames.glob(name).matchesLowered(body);
        }
    }

    /** {@code room_member_count}: the joined member count compared with {@code is} ({@code ==} when unprefixed). */
    record RoomMemberCount(String operator, long count) implements PushCondition {

        private static final Pattern IS = Pattern.compile("(==|<=|>=|<|>)?([0-9]{1,18})");

        static PushCondition parse(String is) {
            Matcher m = IS.matcher(is);
            if (!m.matches()) {
                return Never.INSTANCE;
            }
            return new RoomMemberCount(m.group(1) == null ? "==" : m.group(1), Long.parseLong(m.group(2)));
        }

        @Override
        public boolean matches(PushEvent event, Recipient recipient) {
            long members = event.memberCount();
            return switch (operator) {
                case "<" -> members < count;
                case ">" -> members > count;
                case "<=" -> members <= count;
                case ">=" -> members >= count;
                default -> members == count;
            };
        }
    }

    /** {@code sender_notification_permission}: the sender's power reaches {@code notifications[key]}. */
    record SenderNotificationPermission(String key) implements PushCondition {
        @Override
        public boolean matches(PushEvent event, Recipient recipient) {
            return event.senderPowerLevel() >= event.notificationLevel(key);
        }
    }

    /** A condition that was not understood. */
    enum Never implements PushCondition {
        INSTANCE;

        @Override
        public boolean matches(PushEvent event, Recipient recipient) {
            return false;
        }
    }
}
