package org.myelin.clientapi.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class PushRuleBodiesTest {

    private static JsonNode json(String text) {
        return JsonMapper.shared().readTree(text);
    }

    private static void assertRejected(Runnable read, ErrCode errCode) {
        assertThatThrownBy(read::run).isInstanceOfSatisfying(MatrixException.class,
                e -> assertThat(e.errCode()).isEqualTo(errCode));
    }

    @Test
    void ruleShouldKeepOnlyTheFieldsOfItsKind() {
        String body = """
                {"actions": ["notify"], "conditions": [{"kind": "event_match", "key": "type", "pattern": "x"}],
                 "pattern": "cake", "extra": 1}""";

        assertThat(PushRuleBodies.rule(PushRuleKind.OVERRIDE, json(body))).isEqualTo(json("""
                {"actions": ["notify"], "conditions": [{"kind": "event_match", "key": "type", "pattern": "x"}]}"""));
        assertThat(PushRuleBodies.rule(PushRuleKind.CONTENT, json(body)))
                .isEqualTo(json("{\"actions\": [\"notify\"], \"pattern\": \"cake\"}"));
        assertThat(PushRuleBodies.rule(PushRuleKind.SENDER, json(body))).isEqualTo(json("{\"actions\": [\"notify\"]}"));
        assertThat(PushRuleBodies.rule(PushRuleKind.UNDERRIDE, json("{\"actions\": []}")))
                .isEqualTo(json("{\"actions\": [], \"conditions\": []}"));
    }

    @Test
    void actionsShouldDropHistoricalActionsAndKeepTweaks() {
        assertThat(PushRuleBodies.actions(json("""
                {"actions": ["dont_notify", "notify", "coalesce", {"set_tweak": "highlight", "value": false}]}""")))
                .isEqualTo(json("[\"notify\", {\"set_tweak\": \"highlight\", \"value\": false}]"));
    }

    @Test
    void badBodiesShouldBeRejectedWithTheirErrcode() {
        assertRejected(() -> PushRuleBodies.rule(PushRuleKind.ROOM, json("{}")), ErrCode.M_MISSING_PARAM);
        assertRejected(() -> PushRuleBodies.actions(json("{\"actions\": \"notify\"}")), ErrCode.M_BAD_JSON);
        assertRejected(() -> PushRuleBodies.actions(json("{\"actions\": [1]}")), ErrCode.M_BAD_JSON);
        assertRejected(() -> PushRuleBodies.actions(json("{\"actions\": [{\"value\": 1}]}")), ErrCode.M_BAD_JSON);
        assertRejected(() -> PushRuleBodies.actions(json("{\"actions\": [\"explode\"]}")), ErrCode.M_INVALID_PARAM);
        assertRejected(() -> PushRuleBodies.rule(PushRuleKind.CONTENT, json("{\"actions\": []}")),
                ErrCode.M_MISSING_PARAM);
        assertRejected(() -> PushRuleBodies.rule(PushRuleKind.CONTENT, json("{\"actions\": [], \"pattern\": 1}")),
                ErrCode.M_BAD_JSON);
        assertRejected(() -> PushRuleBodies.rule(PushRuleKind.OVERRIDE, json("{\"actions\": [], \"conditions\": {}}")),
                ErrCode.M_BAD_JSON);
        assertRejected(() -> PushRuleBodies.rule(PushRuleKind.OVERRIDE,
                json("{\"actions\": [], \"conditions\": [{\"key\": \"type\"}]}")), ErrCode.M_BAD_JSON);
        assertRejected(() -> PushRuleBodies.enabled(json("{}")), ErrCode.M_MISSING_PARAM);
        assertRejected(() -> PushRuleBodies.enabled(json("{\"enabled\": \"yes\"}")), ErrCode.M_BAD_JSON);
        assertThat(PushRuleBodies.enabled(json("{\"enabled\": false}"))).isFalse();
    }
}
