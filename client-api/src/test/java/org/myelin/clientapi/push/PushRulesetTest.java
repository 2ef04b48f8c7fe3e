package org.myelin.clientapi.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class PushRulesetTest {

    private static final String ALICE = "@alice:example.org";

    private static JsonNode json(String text) {
        return JsonMapper.shared().readTree(text);
    }

    private static List<String> ids(PushRuleset ruleset, PushRuleKind kind) {
        return ruleset.rules(kind).stream().map(PushRule::ruleId).toList();
    }

    @Test
    void defaultsShouldFollowTheSpecsOrderWhenTheUserHasNoRules() {
        PushRuleset ruleset = PushRuleset.of(ALICE, List.of());

        assertThat(ids(ruleset, PushRuleKind.OVERRIDE)).containsExactly(".m.rule.master",
                ".m.rule.suppress_notices", ".m.rule.invite_for_me", ".m.rule.member_event",
                ".m.rule.is_user_mention", ".m.rule.contains_display_name", ".m.rule.is_room_mention",
                ".m.rule.roomnotif", ".m.rule.tombstone", ".m.rule.reaction", ".m.rule.room.server_acl",
                ".m.rule.suppress_edits");
        assertThat(ids(ruleset, PushRuleKind.CONTENT)).containsExactly(".m.rule.contains_user_name");
        assertThat(ids(ruleset, PushRuleKind.ROOM)).isEmpty();
        assertThat(ids(ruleset, PushRuleKind.SENDER)).isEmpty();
        assertThat(ids(ruleset, PushRuleKind.UNDERRIDE)).containsExactly(".m.rule.call",
                ".m.rule.encrypted_room_one_to_one", ".m.rule.room_one_to_one", ".m.rule.message",
                ".m.rule.encrypted");
        assertThat(ruleset.rules(PushRuleKind.OVERRIDE)).allMatch(PushRule::isDefault);
        assertThat(ruleset.find(PushRuleKind.OVERRIDE, ".m.rule.master").orElseThrow().enabled()).isFalse();
        assertThat(ruleset.find(PushRuleKind.OVERRIDE, ".m.rule.suppress_notices").orElseThrow().enabled()).isTrue();
    }

    @Test
    void defaultsShouldEmbedTheUsersIdAndLocalpart() {
        PushRuleset ruleset = PushRuleset.of(ALICE, List.of());

        assertThat(ruleset.find(PushRuleKind.OVERRIDE, ".m.rule.invite_for_me").orElseThrow().toJson())
                .isEqualTo(json("""
                        {"rule_id": ".m.rule.invite_for_me", "default": true, "enabled": true,
                         "conditions": [
                           {"key": "type", "kind": "event_match", "pattern": "m.room.member"},
                           {"key": "content.membership", "kind": "event_match", "pattern": "invite"},
                           {"key": "state_key", "kind": "event_match", "pattern": "@alice:example.org"}],
                         "actions": ["notify", {"set_tweak": "sound", "value": "default"}]}"""));
        assertThat(ruleset.find(PushRuleKind.OVERRIDE, ".m.rule.is_user_mention").orElseThrow().conditions()
                .get(0)).isEqualTo(json("""
                        {"kind": "event_property_contains", "key": "content.m\\\\.mentions.user_ids",
                         "value": "@alice:example.org"}"""));
        assertThat(ruleset.find(PushRuleKind.CONTENT, ".m.rule.contains_user_name").orElseThrow().toJson())
                .isEqualTo(json("""
                        {"rule_id": ".m.rule.contains_user_name", "default": true, "enabled": true,
                         "pattern": "alice",
                         "actions": ["notify", {"set_tweak": "sound", "value": "default"},
                                     {"set_tweak": "highlight"}]}"""));
        assertThat(PushRuleset.of("@bob:example.org", List.of())
                .find(PushRuleKind.CONTENT, ".m.rule.contains_user_name").orElseThrow().pattern()).isEqualTo("bob");
    }

    @Test
    void userRulesShouldComeBeforeDefaultsButAfterTheMasterRuleInTheirPriorityOrder() {
        PushRuleset ruleset = PushRuleset.of(ALICE, List.of(
                new StoredRule(PushRuleKind.OVERRIDE, "second", 1, json("{\"actions\": [], \"conditions\": []}"), true),
                new StoredRule(PushRuleKind.OVERRIDE, "first", 0, json("{\"actions\": [\"notify\"]}"), false),
                new StoredRule(PushRuleKind.CONTENT, "cake", 0,
                        json("{\"actions\": [\"notify\"], \"pattern\": \"cake*\"}"), true),
                new StoredRule(PushRuleKind.ROOM, "!r:example.org", 0, json("{\"actions\": []}"), true)));

        assertThat(ids(ruleset, PushRuleKind.OVERRIDE)).startsWith(".m.rule.master", "first", "second",
                ".m.rule.suppress_notices");
        assertThat(ids(ruleset, PushRuleKind.CONTENT)).containsExactly("cake", ".m.rule.contains_user_name");
        assertThat(ids(ruleset, PushRuleKind.ROOM)).containsExactly("!r:example.org");
        assertThat(ruleset.userRuleIds(PushRuleKind.OVERRIDE)).containsExactly("first", "second");
        PushRule first = ruleset.find(PushRuleKind.OVERRIDE, "first").orElseThrow();
        assertThat(first.isDefault()).isFalse();
        assertThat(first.enabled()).isFalse();
        assertThat(first.toJson()).isEqualTo(json("""
                {"rule_id": "first", "default": false, "enabled": false, "conditions": [],
                 "actions": ["notify"]}"""));
        assertThat(ruleset.find(PushRuleKind.ROOM, "!r:example.org").orElseThrow().toJson()).isEqualTo(json("""
                {"rule_id": "!r:example.org", "default": false, "enabled": true, "actions": []}"""));
    }

    @Test
    void changesToDefaultRulesShouldReplaceTheirEnabledFlagAndActionsOnly() {
        PushRuleset ruleset = PushRuleset.of(ALICE, List.of(
                new StoredRule(PushRuleKind.OVERRIDE, ".m.rule.master", 0, json("{}"), true),
                new StoredRule(PushRuleKind.UNDERRIDE, ".m.rule.message", 0,
                        json("{\"actions\": [\"notify\", {\"set_tweak\": \"sound\", \"value\": \"x\"}]}"), false),
                new StoredRule(PushRuleKind.UNDERRIDE, ".m.rule.gone", 0, json("{}"), false)));

        PushRule master = ruleset.find(PushRuleKind.OVERRIDE, ".m.rule.master").orElseThrow();
        assertThat(master.enabled()).isTrue();
        assertThat(master.actions()).isEmpty();
        PushRule message = ruleset.find(PushRuleKind.UNDERRIDE, ".m.rule.message").orElseThrow();
        assertThat(message.enabled()).isFalse();
        assertThat(message.isDefault()).isTrue();
        assertThat(message.actions()).isEqualTo(json("[\"notify\", {\"set_tweak\": \"sound\", \"value\": \"x\"}]"));
        assertThat(message.conditions()).isEqualTo(json(
                "[{\"kind\": \"event_match\", \"key\": \"type\", \"pattern\": \"m.room.message\"}]"));
        assertThat(ids(ruleset, PushRuleKind.UNDERRIDE)).doesNotContain(".m.rule.gone").hasSize(5);
        assertThat(ruleset.userRuleIds(PushRuleKind.OVERRIDE)).isEmpty();
    }

    @Test
    void jsonShouldHoldEveryKindAsAnArray() {
        JsonNode json = PushRuleset.of(ALICE, List.of()).toJson();

        assertThat(json.propertyNames()).containsExactly("override", "content", "room", "sender", "underride");
        assertThat(json.get("underride").get(3)).isEqualTo(json("""
                {"rule_id": ".m.rule.message", "default": true, "enabled": true,
                 "conditions": [{"kind": "event_match", "key": "type", "pattern": "m.room.message"}],
                 "actions": ["notify"]}"""));
    }
}
