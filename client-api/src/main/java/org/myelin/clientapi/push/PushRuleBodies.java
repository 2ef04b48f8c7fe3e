package org.myelin.clientapi.push;

import java.util.Set;
import java.util.regex.Pattern;

import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.http.JsonFields;
import org.myelin.http.TextLimits;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads the bodies of the push rule writes: a missing field is M_MISSING_PARAM, a wrong JSON type M_BAD_JSON, an
 * unknown action M_INVALID_PARAM. The historical actions {@code dont_notify} and {@code coalesce} are stripped, as
 * the spec requires (https://spec.matrix.org/v1.19/client-server-api/#historical-actions).
 */
public final class PushRuleBodies {

    private static final Set<String> HISTORICAL_ACTIONS = Set.of("dont_notify", "coalesce");
    private static final int MAX_CONDITIONS = 100;
    private static final int MAX_ACTIONS = 100;
    private static final Pattern MEMBER_COUNT = Pattern.compile("(==|<|>|<=|>=)?[0-9]{1,9}");

    private PushRuleBodies() {
    }

    /**
     * The rule to store from a PUT body: {@code actions}, plus {@code conditions} (optional, default none) for
     * override and underride rules, or the required {@code pattern} for content rules.
     */
    public static ObjectNode rule(PushRuleKind kind, JsonNode body) {
        ObjectNode rule = JsonNodeFactory.instance.objectNode();
        rule.set("actions", actions(body));
        if (kind.hasConditions()) {
            rule.set("conditions", conditions(body.get("conditions")));
        } else if (kind == PushRuleKind.CONTENT) {
            rule.put("pattern", JsonFields.requiredString(body, "pattern", TextLimits.PUSH_PATTERN));
        }
        return rule;
    }

    /** The body's required {@code actions} array, with historical actions removed. */
    public static ArrayNode actions(JsonNode body) {
        JsonNode actions = body.get("actions");
        if (actions == null || actions.isNull()) {
            throw MatrixException.missingParam("Missing parameter: actions");
        }
        if (!actions.isArray()) {
            throw MatrixException.badJson("actions must be an array");
        }
        if (actions.size() > MAX_ACTIONS) {
            throw new MatrixException(ErrCode.M_TOO_LARGE, 400, "A rule has at most " + MAX_ACTIONS + " actions");
        }
        ArrayNode kept = JsonNodeFactory.instance.arrayNode();
        for (JsonNode action : actions) {
            if (action.isString()) {
                String name = action.asString();
                if ("notify".equals(name)) {
                    kept.add(action);
                } else if (!HISTORICAL_ACTIONS.contains(name)) {
                    throw MatrixException.invalidParam("Unrecognised action: " + TextLimits.excerpt(name));
                }
            } else if (action.isObject() && action.get("set_tweak") != null && action.get("set_tweak").isString()) {
                kept.add(action);
            } else {
                throw MatrixException.badJson("An action must be a string or an object with a string set_tweak");
            }
        }
        return kept;
    }

    /** The body's required boolean {@code enabled}. */
    public static boolean enabled(JsonNode body) {
        JsonNode enabled = body.get("enabled");
        if (enabled == null || enabled.isNull()) {
            throw MatrixException.missingParam("Missing parameter: enabled");
        }
        if (!enabled.isBoolean()) {
            throw MatrixException.badJson("enabled must be a boolean");
        }
        return enabled.booleanValue();
    }

    /**
     * Conditions with the fields their kind needs, of the spec's types
     * (https://spec.matrix.org/v1.19/client-server-api/#conditions-1). A kind this server does not know is kept: it
     * matches no event, as the spec says.
     */
    private static ArrayNode conditions(JsonNode conditions) {
        if (conditions == null || conditions.isNull()) {
            return JsonNodeFactory.instance.arrayNode();
        }
        if (!conditions.isArray()) {
            throw MatrixException.badJson("conditions must be an array");
        }
        if (conditions.size() > MAX_CONDITIONS) {
            throw new MatrixException(ErrCode.M_TOO_LARGE, 400, "A rule has at most " + MAX_CONDITIONS + " conditions");
        }
        for (JsonNode condition : conditions) {
            if (!condition.isObject() || condition.get("kind") == null || !condition.get("kind").isString()) {
                throw MatrixException.badJson("A condition must be an object with a string kind");
            }
            checkFields(JsonFields.requiredString(condition, "kind"), condition);
        }
        return (ArrayNode) conditions.deepCopy();
    }

    private static void checkFields(String kind, JsonNode condition) {
        switch (kind) {
            case "event_match" -> {
                JsonFields.requiredString(condition, "key");
                JsonFields.requiredString(condition, "pattern", TextLimits.PUSH_PATTERN);
            }
            case "event_property_is", "event_property_contains" -> {
                JsonFields.requiredString(condition, "key");
                JsonNode value = condition.get("value");
                if (value == null || !(value.isString() || value.isIntegralNumber() || value.isBoolean()
                        || value.isNull())) {
                    throw MatrixException.badJson("value must be a string, an integer, a boolean or null");
                }
                if (value.isString()) {
                    JsonFields.string(value, "value", TextLimits.DEFAULT);
                }
            }
            case "room_member_count" -> {
                if (!MEMBER_COUNT.matcher(JsonFields.requiredString(condition, "is", 32)).matches()) {
                    throw MatrixException.badJson("is must be a number with an optional ==, <, >, <= or >= prefix");
                }
            }
            case "sender_notification_permission" -> JsonFields.requiredString(condition, "key");
            default -> {
            }
        }
    }
}
