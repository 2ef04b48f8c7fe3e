package org.myelin.federation.protocol.push;

import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * What a matching rule's actions (https://spec.matrix.org/v1.19/client-server-api/#actions) ask for. {@code notify}
 * makes a notification; {@code set_tweak} sets a tweak ({@code highlight} without a value means true); the
 * historical {@code dont_notify} and {@code coalesce}, and anything unknown, do nothing.
 *
 * @param actions   the actions as the rule lists them
 * @param notifies  whether the event notifies
 * @param highlight whether the {@code highlight} tweak is on
 * @param tweaks    every tweak by name
 */
public record PushActions(ArrayNode actions, boolean notifies, boolean highlight, Map<String, JsonNode> tweaks) {

    /** The actions of a rule's {@code actions} array. */
    public static PushActions of(JsonNode actions) {
        ArrayNode copy = actions != null && actions.isArray() ? ((ArrayNode) actions).deepCopy()
                : JsonNodeFactory.instance.arrayNode();
        boolean notify = false;
        Map<String, JsonNode> tweaks = new LinkedHashMap<>();
        for (JsonNode action : copy) {
            if (action.isString() && action.asString().equals("notify")) {
                notify = true;
            } else if (action.isObject() && action.path("set_tweak").isString()) {
                JsonNode value = action.get("value");
                String tweak = action.get("set_tweak").asString();
                tweaks.put(tweak, value == null && tweak.equals("highlight") ? JsonNodeFactory.instance.booleanNode(true)
                        : value == null ? JsonNodeFactory.instance.nullNode() : value);
            }
        }
        JsonNode highlight = tweaks.get("highlight");
        return new PushActions(copy, notify, highlight != null && highlight.isBoolean() && highlight.booleanValue(),
                Map.copyOf(tweaks));
    }
}
