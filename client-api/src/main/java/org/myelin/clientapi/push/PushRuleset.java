package org.myelin.clientapi.push;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A user's effective global ruleset: the server-default rules with the user's enabled/actions changes applied,
 * merged with the user's own rules. Within each kind the user's rules come first, most important first, then the
 * defaults, except {@code .m.rule.master}, which precedes everything
 * (https://spec.matrix.org/v1.19/client-server-api/#predefined-rules).
 */
public final class PushRuleset {

    private final Map<PushRuleKind, List<PushRule>> rules;

    private PushRuleset(Map<PushRuleKind, List<PushRule>> rules) {
        this.rules = rules;
    }

    /** The ruleset of {@code userId} given their stored rows. */
    public static PushRuleset of(String userId, List<StoredRule> stored) {
        Map<PushRuleKind, Map<String, StoredRule>> defaultChanges = new EnumMap<>(PushRuleKind.class);
        Map<PushRuleKind, List<StoredRule>> own = new EnumMap<>(PushRuleKind.class);
        for (StoredRule row : stored) {
            if (PushRule.isServerDefaultId(row.ruleId())) {
                defaultChanges.computeIfAbsent(row.kind(), k -> new HashMap<>()).put(row.ruleId(), row);
            } else {
                own.computeIfAbsent(row.kind(), k -> new ArrayList<>()).add(row);
            }
        }
        Map<PushRuleKind, List<PushRule>> merged = new EnumMap<>(PushRuleKind.class);
        for (PushRuleKind kind : PushRuleKind.values()) {
            merged.put(kind, new ArrayList<>());
        }
        List<PushRule> defaults = DefaultPushRules.forUser(userId);
        for (PushRule rule : defaults) {
            StoredRule change = defaultChanges.getOrDefault(rule.kind(), Map.of()).get(rule.ruleId());
            merged.get(rule.kind()).add(change == null ? rule : changed(rule, change));
        }
        for (PushRuleKind kind : PushRuleKind.values()) {
            List<PushRule> users = own.getOrDefault(kind, List.of()).stream()
                    .sorted(Comparator.comparingInt(StoredRule::priority).thenComparing(StoredRule::ruleId))
                    .map(PushRuleset::userRule).toList();
            List<PushRule> list = merged.get(kind);
            int at = !list.isEmpty() && list.get(0).ruleId().equals(DefaultPushRules.MASTER) ? 1 : 0;
            list.addAll(at, users);
        }
        merged.replaceAll((kind, list) -> List.copyOf(list));
        return new PushRuleset(merged);
    }

    /** The rules of {@code kind} in evaluation order. */
    public List<PushRule> rules(PushRuleKind kind) {
        return rules.get(kind);
    }

    /** The rule of {@code kind} with {@code ruleId}, user-defined or default. */
    public Optional<PushRule> find(PushRuleKind kind, String ruleId) {
        return rules.get(kind).stream().filter(r -> r.ruleId().equals(ruleId)).findFirst();
    }

    /** The IDs of the user's own rules of {@code kind}, most important first. */
    public List<String> userRuleIds(PushRuleKind kind) {
        return rules.get(kind).stream().filter(r -> !r.isDefault()).map(PushRule::ruleId).toList();
    }

    /** The spec's {@code Ruleset}: one array per kind. */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        for (PushRuleKind kind : PushRuleKind.values()) {
            ArrayNode array = json.putArray(kind.wireName());
            rules.get(kind).forEach(rule -> array.add(rule.toJson()));
        }
        return json;
    }

    private static PushRule changed(PushRule rule, StoredRule change) {
        JsonNode actions = change.rule().get("actions");
        PushRule result = rule.withEnabled(change.enabled());
        return actions != null && actions.isArray() ? result.withActions((ArrayNode) actions) : result;
    }

    private static PushRule userRule(StoredRule row) {
        JsonNode actions = row.rule().get("actions");
        JsonNode conditions = row.rule().get("conditions");
        JsonNode pattern = row.rule().get("pattern");
        return new PushRule(row.kind(), row.ruleId(), false, row.enabled(),
                actions != null && actions.isArray() ? (ArrayNode) actions : JsonNodeFactory.instance.arrayNode(),
                !row.kind().hasConditions() ? null
                        : conditions != null && conditions.isArray() ? (ArrayNode) conditions
                                : JsonNodeFactory.instance.arrayNode(),
                row.kind() != PushRuleKind.CONTENT ? null
                        : pattern != null && pattern.isString() ? pattern.asString() : "");
    }
}
