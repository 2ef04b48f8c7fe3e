package org.myelin.clientapi.push;

import tools.jackson.databind.JsonNode;

/**
 * A row of the user's push rules as stored: either a user-defined rule (its {@code rule} holds actions and, by
 * kind, conditions or pattern) or, for an ID starting with ".", the user's changes to that server-default rule
 * ({@code enabled}, and {@code actions} in {@code rule} when they were replaced).
 *
 * @param kind     the rule's kind
 * @param ruleId   the rule's ID
 * @param priority rank among the user's rules of that kind, 0 the most important
 * @param rule     the stored JSON object
 * @param enabled  whether the rule is enabled
 */
public record StoredRule(PushRuleKind kind, String ruleId, int priority, JsonNode rule, boolean enabled) {
}
