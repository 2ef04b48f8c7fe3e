package org.myelin.federation.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.myelin.federation.protocol.auth.JoinRules.AllowCondition;
import org.myelin.federation.protocol.auth.JoinRules.Rule;
import org.myelin.federation.protocol.room.RoomVersion;
import org.myelin.federation.protocol.room.RoomVersions;

import tools.jackson.databind.json.JsonMapper;

class JoinRulesTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private static JoinRules read(String content, RoomVersion version) {
        return JoinRules.of(new JsonAuthEvent(MAPPER.readTree("{\"event_id\":\"$jr\",\"type\":\"m.room.join_rules\","
                + "\"state_key\":\"\",\"sender\":\"@a:example.org\",\"content\":" + content + "}"), version, false),
                version);
    }

    @Test
    void joinRuleShouldBeInviteWhenRoomHasNoJoinRulesEvent() {
        assertThat(JoinRules.of(null, RoomVersions.V12).rule()).isEqualTo(Rule.INVITE);
    }

    @Test
    void joinRuleShouldBeUnknownWhenVersionPredatesIt() {
        assertThat(read("{\"join_rule\":\"knock\"}", RoomVersions.V6).rule()).isEqualTo(Rule.UNKNOWN);
        assertThat(read("{\"join_rule\":\"knock\"}", RoomVersions.V7).rule()).isEqualTo(Rule.KNOCK);
        assertThat(read("{\"join_rule\":\"restricted\"}", RoomVersions.V7).rule()).isEqualTo(Rule.UNKNOWN);
        assertThat(read("{\"join_rule\":\"restricted\"}", RoomVersions.V8).rule()).isEqualTo(Rule.RESTRICTED);
        assertThat(read("{\"join_rule\":\"knock_restricted\"}", RoomVersions.V9).rule()).isEqualTo(Rule.UNKNOWN);
        assertThat(read("{\"join_rule\":\"knock_restricted\"}", RoomVersions.V10).rule())
                .isEqualTo(Rule.KNOCK_RESTRICTED);
        assertThat(read("{\"join_rule\":\"private\"}", RoomVersions.V1).rule()).isEqualTo(Rule.PRIVATE);
        assertThat(read("{\"join_rule\":\"open\"}", RoomVersions.V12).rule()).isEqualTo(Rule.UNKNOWN);
    }

    @Test
    void allowShouldListConditionsWithATypeWhenVersionHasRestrictedRooms() {
        String content = "{\"join_rule\":\"restricted\",\"allow\":[{\"type\":\"m.room_membership\",\"room_id\":"
                + "\"!space:example.org\"},{\"room_id\":\"!untyped:example.org\"},{\"type\":\"org.example.custom\"}]}";

        assertThat(read(content, RoomVersions.V9).allow()).containsExactly(
                new AllowCondition("m.room_membership", "!space:example.org"),
                new AllowCondition("org.example.custom", null));
        assertThat(read(content, RoomVersions.V7).allow()).isEmpty();
    }

    @Test
    void allowShouldBeEmptyWhenItIsNotAnArray() {
        assertThat(read("{\"join_rule\":\"restricted\",\"allow\":{\"type\":\"m.room_membership\"}}",
                RoomVersions.V10).allow()).isEmpty();
    }
}
