package org.myelin.federation.protocol.push;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * One user's push rules, compiled from the spec's {@code Ruleset} JSON (the one {@code GET /pushrules/global/}
 * answers) and evaluated against events (https://spec.matrix.org/v1.19/client-server-api/#push-rules): the kinds in
 * the order override, content, room, sender, underride, each kind's rules in the ruleset's order, disabled rules
 * skipped; the first rule whose conditions all hold decides. Content rules match {@code pattern} against
 * {@code content.body} between word boundaries, room rules match the event's room ID, sender rules its sender.
 *
 * <p>An event with intentional mentions ({@code m.mentions} in its content) is not matched by the legacy mention
 * rules {@code .m.rule.contains_display_name}, {@code .m.rule.contains_user_name} and {@code .m.rule.roomnotif},
 * as the spec's v1.7 deprecation of them says and Synapse does.
 *
 * <p>An evaluator is immutable and safe to share; compiling is the costly part, evaluating is not.
 */
public final class PushRuleEvaluator {

    /** The kinds, in evaluation order, as named in a ruleset. */
    public static final List<String> KINDS = List.of("override", "content", "room", "sender", "underride");
    private static final Set<String> LEGACY_MENTION_RULES = Set.of(".m.rule.contains_display_name",
            ".m.rule.contains_user_name", ".m.rule.roomnotif");

    /** A rule that matched: its ID and kind, and what its actions ask for. */
    public record Match(String ruleId, String kind, PushActions actions) {
    }

    private record Rule(String ruleId, String kind, List<PushCondition> conditions, PushActions actions,
            boolean legacyMention) {
    }

    private final List<Rule> rules;

    private PushRuleEvaluator(List<Rule> rules) {
        this.rules = rules;
    }

    /** Compiles a ruleset ({@code {"override": [...], "content": [...], ...}}); disabled rules are left out. */
    public static PushRuleEvaluator compile(JsonNode ruleset) {
        List<Rule> rules = new ArrayList<>();
        for (String kind : KINDS) {
            for (JsonNode rule : ruleset.path(kind)) {
                if (!rule.path("enabled").asBoolean(true) || !rule.path("rule_id").isString()) {
                    continue;
                }
                String ruleId = rule.get("rule_id").asString();
                rules.add(new Rule(ruleId, kind, conditions(kind, ruleId, rule), PushActions.of(rule.get("actions")),
                        LEGACY_MENTION_RULES.contains(ruleId)));
            }
        }
        return new PushRuleEvaluator(List.copyOf(rules));
    }

    /** The first rule matching {@code event} for {@code recipient}, or null when none does. */
    public Match evaluate(PushEvent event, Recipient recipient) {
        boolean mentions = event.hasMentions();
        for (Rule rule : rules) {
            if (mentions && rule.legacyMention()) {
                continue;
            }
            if (allHold(rule.conditions(), event, recipient)) {
                return new Match(rule.ruleId(), rule.kind(), rule.actions());
            }
        }
        return null;
    }

    private static boolean allHold(List<PushCondition> conditions, PushEvent event, Recipient recipient) {
        for (PushCondition condition : conditions) {
            if (!condition.matches(event, recipient)) {
                return false;
            }
        }
        return true;
    }

    private static List<PushCondition> conditions(String kind, String ruleId, JsonNode rule) {
        return switch (kind) {
            case "content" -> List.of(rule.path("pattern").isString()
                    ? new PushCondition.EventMatch(List.of("content", "body"), Glob.words(rule.get("pattern").asString()))
                    : PushCondition.Never.INSTANCE);
            case "room" -> List.of(new PushCondition.EventPropertyIs(List.of("room_id"),
                    JsonNodeFactory.instance.stringNode(ruleId)));
            case "sender" -> List.of(new PushCondition.EventPropertyIs(List.of("sender"),
                    JsonNodeFactory.instance.stringNode(ruleId)));
            default -> {
                List<PushCondition> parsed = new ArrayList<>();
                rule.path("conditions").forEach(c -> parsed.add(PushCondition.parse(c)));
                yield List.copyOf(parsed);
            }
        };
    }
}
