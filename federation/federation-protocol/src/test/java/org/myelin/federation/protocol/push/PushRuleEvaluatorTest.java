package org.myelin.federation.protocol.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.myelin.federation.protocol.push.PushConditionTest.read;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** Rule order, kinds, enabled flags, actions and the legacy mention rules, with the spec's example rules. */
class PushRuleEvaluatorTest {

    private static final Recipient ALICE = new Recipient("@alice:example.org", "Alice");

    private static PushEvent message(String body, long members) {
        return PushConditionTest.event("m.room.message", "{'msgtype':'m.text','body':'" + body + "'}", members, 0,
                Map.of());
    }

    private static PushEvent from(String sender, String room, String content) {
        return new PushEvent(read("{'type':'m.room.message','sender':'" + sender + "','room_id':'" + room
                + "','content':" + content + "}"), 5, 0, Map.of());
    }

    /** The spec's "Examples" of push rules, with a catch-all underride. */
    private static final PushRuleEvaluator SPEC_EXAMPLES = PushRuleEvaluator.compile(read("""
            {'override': [
               {'rule_id': 'beer', 'default': false, 'enabled': true,
                'conditions': [{'kind': 'event_match', 'key': 'content.body', 'pattern': 'beer'},
                               {'kind': 'room_member_count', 'is': '<=10'}],
                'actions': ['notify', {'set_tweak': 'sound', 'value': 'beeroclock.wav'}]}],
             'content': [
               {'rule_id': 'SSByZWFsbHkgbGlrZSBjYWtl', 'default': false, 'enabled': true, 'pattern': 'cake*lie',
                'actions': []},
               {'rule_id': 'cake', 'default': false, 'enabled': true, 'pattern': 'cake',
                'actions': ['notify', {'set_tweak': 'sound', 'value': 'cakealarm.wav'}]}],
             'room': [{'rule_id': '!dj234r78wl45Gh4D:matrix.org', 'default': false, 'enabled': true, 'actions': []}],
             'sender': [{'rule_id': '@spambot:matrix.org', 'default': false, 'enabled': true, 'actions': []}],
             'underride': [{'rule_id': 'all', 'default': false, 'enabled': true, 'conditions': [],
                            'actions': ['notify']}]}"""));

    @Test
    void theSpecsExampleRulesShouldDecideInKindOrder() {
        assertThat(SPEC_EXAMPLES.evaluate(message("I want cake", 20), ALICE).ruleId()).isEqualTo("cake");
        assertThat(SPEC_EXAMPLES.evaluate(message("I want cake", 20), ALICE).actions().tweaks().get("sound")
                .asString()).isEqualTo("cakealarm.wav");
        assertThat(SPEC_EXAMPLES.evaluate(message("the cake is a lie", 20), ALICE).ruleId())
                .isEqualTo("SSByZWFsbHkgbGlrZSBjYWtl");
        assertThat(SPEC_EXAMPLES.evaluate(message("the cake is a lie", 20), ALICE).actions().notifies()).isFalse();
        assertThat(SPEC_EXAMPLES.evaluate(message("beer and cake", 10), ALICE).ruleId()).isEqualTo("beer");
        assertThat(SPEC_EXAMPLES.evaluate(message("beer and cake", 11), ALICE).ruleId()).isEqualTo("cake");
        assertThat(SPEC_EXAMPLES.evaluate(from("@spambot:matrix.org", "!x:y", "{'body':'buy'}"), ALICE).ruleId())
                .isEqualTo("@spambot:matrix.org");
        assertThat(SPEC_EXAMPLES.evaluate(from("@bob:x", "!dj234r78wl45Gh4D:matrix.org", "{'body':'hi'}"), ALICE)
                .ruleId()).isEqualTo("!dj234r78wl45Gh4D:matrix.org");
        assertThat(SPEC_EXAMPLES.evaluate(from("@bob:x", "!other:matrix.org", "{'body':'hi'}"), ALICE).ruleId())
                .isEqualTo("all");
    }

    @Test
    void disabledRulesShouldBeSkippedAndNoMatchShouldBeNull() {
        PushRuleEvaluator rules = PushRuleEvaluator.compile(read("""
                {'override': [{'rule_id': 'off', 'enabled': false, 'conditions': [], 'actions': ['notify']}],
                 'underride': [{'rule_id': 'msgs', 'enabled': true,
                   'conditions': [{'kind': 'event_match', 'key': 'type', 'pattern': 'm.room.message'}],
                   'actions': ['notify', {'set_tweak': 'highlight'}]}]}"""));
        PushRuleEvaluator.Match match = rules.evaluate(message("hi", 3), ALICE);
        assertThat(match.ruleId()).isEqualTo("msgs");
        assertThat(match.kind()).isEqualTo("underride");
        assertThat(match.actions().notifies()).isTrue();
        assertThat(match.actions().highlight()).isTrue();
        assertThat(rules.evaluate(PushConditionTest.event("m.reaction", "{}", 3, 0, Map.of()), ALICE)).isNull();
    }

    @Test
    void actionsShouldTreatHistoricalActionsAsNoOpsAndReadTweaks() {
        PushActions none = PushActions.of(read("['dont_notify']"));
        assertThat(none.notifies()).isFalse();
        PushActions coalesce = PushActions.of(read("['coalesce']"));
        assertThat(coalesce.notifies()).isFalse();
        PushActions off = PushActions.of(read("['notify', {'set_tweak': 'highlight', 'value': false}]"));
        assertThat(off.notifies()).isTrue();
        assertThat(off.highlight()).isFalse();
        PushActions sound = PushActions.of(read("['notify', {'set_tweak': 'sound', 'value': 'default'}, 'x']"));
        assertThat(sound.highlight()).isFalse();
        assertThat(sound.tweaks()).containsOnlyKeys("sound");
    }

    @Test
    void legacyMentionRulesShouldNotMatchEventsWithIntentionalMentions() {
        PushRuleEvaluator rules = PushRuleEvaluator.compile(read("""
                {'override': [
                   {'rule_id': '.m.rule.contains_display_name', 'enabled': true,
                    'conditions': [{'kind': 'contains_display_name'}], 'actions': ['notify']},
                   {'rule_id': '.m.rule.roomnotif', 'enabled': true,
                    'conditions': [{'kind': 'event_match', 'key': 'content.body', 'pattern': '@room'}],
                    'actions': ['notify']}],
                 'content': [{'rule_id': '.m.rule.contains_user_name', 'enabled': true, 'pattern': 'alice',
                    'actions': ['notify']}]}"""));
        assertThat(rules.evaluate(message("Alice?", 3), ALICE).ruleId()).isEqualTo(".m.rule.contains_display_name");
        assertThat(rules.evaluate(message("@room", 3), ALICE).ruleId()).isEqualTo(".m.rule.roomnotif");
        PushEvent withMentions = PushConditionTest.event("m.room.message",
                "{'body':'Alice and @room','m.mentions':{}}", 3, 100, Map.of());
        assertThat(rules.evaluate(withMentions, ALICE)).isNull();
    }
}
