package org.myelin.clientapi.push;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The server-default push rules of the spec's "Predefined Rules"
 * (https://spec.matrix.org/v1.19/client-server-api/#predefined-rules), in the spec's order, for one user. They live
 * in {@code default-rules.json}, where {@code ${user_id}} and {@code ${localpart}} stand for the user's Matrix ID
 * and its local part (the spec's "[the user's Matrix ID]" and "[the local part of the user's Matrix ID]").
 */
public final class DefaultPushRules {

    /** The rule that outranks even user-defined override rules. */
    public static final String MASTER = ".m.rule.master";

    private static final ObjectNode TEMPLATE = load();

    private DefaultPushRules() {
    }

    /** Every default rule for {@code userId}, by kind in evaluation order, each list in the spec's order. */
    public static List<PushRule> forUser(String userId) {
        int colon = userId.indexOf(':');
        String localpart = userId.substring(1, colon < 0 ? userId.length() : colon);
        Map<String, String> values = Map.of("${user_id}", userId, "${localpart}", localpart);
        List<PushRule> rules = new ArrayList<>();
        for (PushRuleKind kind : PushRuleKind.values()) {
            for (JsonNode rule : TEMPLATE.get(kind.wireName())) {
                ObjectNode filled = (ObjectNode) substitute(rule, values);
                rules.add(new PushRule(kind, filled.get("rule_id").asString(), true,
                        filled.get("enabled").booleanValue(), (ArrayNode) filled.get("actions"),
                        kind.hasConditions() ? (ArrayNode) filled.get("conditions") : null,
                        kind == PushRuleKind.CONTENT ? filled.get("pattern").asString() : null));
            }
        }
        return rules;
    }

    private static JsonNode substitute(JsonNode node, Map<String, String> values) {
        if (node.isString()) {
            String value = values.get(node.asString());
            return value == null ? node : JsonNodeFactory.instance.stringNode(value);
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(element -> copy.add(substitute(element, values)));
            return copy;
        }
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            node.properties().forEach(e -> copy.set(e.getKey(), substitute(e.getValue(), values)));
            return copy;
        }
        return node;
    }

    private static ObjectNode load() {
        try (InputStream in = DefaultPushRules.class.getResourceAsStream("default-rules.json")) {
            if (in == null) {
                throw new IllegalStateException("default-rules.json is missing from the class path");
            }
            return (ObjectNode) JsonMapper.shared().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
