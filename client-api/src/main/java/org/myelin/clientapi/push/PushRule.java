package org.myelin.clientapi.push;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One push rule as clients see it (the spec's {@code PushRule}): {@code conditions} only for override and underride
 * rules, {@code pattern} only for content rules, both null otherwise.
 *
 * @param kind       the rule's kind
 * @param ruleId     its ID, starting with "." for server-default rules
 * @param isDefault  whether it is a server-default rule
 * @param enabled    whether it is enabled
 * @param actions    what to do when it matches
 * @param conditions its conditions (override and underride), else null
 * @param pattern    its glob pattern (content), else null
 */
public record PushRule(PushRuleKind kind, String ruleId, boolean isDefault, boolean enabled, ArrayNode actions,
        ArrayNode conditions, String pattern) {

    /** Whether {@code ruleId} names a server-default rule: those, and only those, start with a dot. */
    public static boolean isServerDefaultId(String ruleId) {
        return ruleId.startsWith(".");
    }

    /** This rule with {@code enabled} instead. */
    public PushRule withEnabled(boolean newEnabled) {
        return new PushRule(kind, ruleId, isDefault, newEnabled, actions, conditions, pattern);
    }

    /** This rule with {@code actions} instead. */
    public PushRule withActions(ArrayNode newActions) {
        return new PushRule(kind, ruleId, isDefault, enabled, newActions, conditions, pattern);
    }

    /** The spec's JSON form: rule_id, default, enabled, conditions or pattern when they apply, actions. */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("rule_id", ruleId);
        json.put("default", isDefault);
        json.put("enabled", enabled);
        if (conditions != null) {
            json.set("conditions", conditions.deepCopy());
        }
        if (pattern != null) {
            json.put("pattern", pattern);
        }
        json.set("actions", actions.deepCopy());
        return json;
    }
}
