package org.myelin.federation.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.myelin.federation.protocol.room.RoomVersion;
import org.myelin.federation.protocol.room.RoomVersions;

import tools.jackson.databind.json.JsonMapper;

class JoinAuthoriserTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final String CREATOR = "@creator:a.example";

    private static JoinRules rules(String content, RoomVersion version) {
        return JoinRules.of(new JsonAuthEvent(MAPPER.readTree("{\"event_id\":\"$jr\",\"type\":\"m.room.join_rules\","
                + "\"state_key\":\"\",\"sender\":\"" + CREATOR + "\",\"content\":" + content + "}"), version, false),
                version);
    }

    private static PowerLevels levels(String content) {
        RoomVersion version = RoomVersions.V10;
        RoomCreate create = RoomCreate.of(new JsonAuthEvent(MAPPER.readTree("{\"event_id\":\"$create\",\"type\":"
                + "\"m.room.create\",\"state_key\":\"\",\"sender\":\"" + CREATOR + "\",\"content\":{\"creator\":\""
                + CREATOR + "\"}}"), version, false), version);
        return PowerLevels.of(new JsonAuthEvent(MAPPER.readTree("{\"event_id\":\"$pl\",\"type\":"
                + "\"m.room.power_levels\",\"state_key\":\"\",\"sender\":\"" + CREATOR + "\",\"content\":" + content
                + "}"), version, false), create, version);
    }

    @Test
    void anAuthoriserShouldBeNeededOnlyForRestrictedRulesAndUsersNeitherInvitedNorJoined() {
        JoinRules restricted = rules("{\"join_rule\":\"restricted\",\"allow\":[]}", RoomVersions.V10);
        JoinRules knockRestricted = rules("{\"join_rule\":\"knock_restricted\"}", RoomVersions.V10);
        JoinRules open = rules("{\"join_rule\":\"public\"}", RoomVersions.V10);

        assertThat(JoinAuthoriser.needed(restricted, Optional.empty())).isTrue();
        assertThat(JoinAuthoriser.needed(restricted, Optional.of(Membership.LEAVE))).isTrue();
        assertThat(JoinAuthoriser.needed(knockRestricted, Optional.of(Membership.KNOCK))).isTrue();
        assertThat(JoinAuthoriser.needed(restricted, Optional.of(Membership.INVITE))).isFalse();
        assertThat(JoinAuthoriser.needed(restricted, Optional.of(Membership.JOIN))).isFalse();
        assertThat(JoinAuthoriser.needed(open, Optional.empty())).isFalse();
        assertThat(JoinAuthoriser.needed(rules("{\"join_rule\":\"restricted\"}", RoomVersions.V7), Optional.empty()))
                .as("restricted means nothing before v8").isFalse();
    }

    @Test
    void allowedRoomsShouldBeTheRoomMembershipConditionsWithARoom() {
        JoinRules rules = rules("{\"join_rule\":\"restricted\",\"allow\":[{\"type\":\"m.room_membership\","
                + "\"room_id\":\"!space:a.example\"},{\"type\":\"m.other\",\"room_id\":\"!x:a.example\"},"
                + "{\"type\":\"m.room_membership\"},{\"type\":\"m.room_membership\",\"room_id\":\"!b:b.example\"},"
                + "{\"type\":\"m.room_membership\",\"room_id\":\"!space:a.example\"}]}", RoomVersions.V10);

        assertThat(JoinAuthoriser.allowedRooms(rules)).containsExactly("!space:a.example", "!b:b.example");
    }

    @Test
    void theMostPowerfulJoinedUserOfTheServerWithTheInviteLevelShouldBePicked() {
        PowerLevels levels = levels("{\"invite\":50,\"users\":{\"@mod:a.example\":50,\"@admin:a.example\":100,"
                + "\"@remote:b.example\":100}}");
        List<String> joined = List.of("@mod:a.example", "@user:a.example", "@remote:b.example", "@admin:a.example");

        assertThat(JoinAuthoriser.pick(levels, joined, "a.example")).hasValue("@admin:a.example");
        assertThat(JoinAuthoriser.pick(levels, List.of("@user:a.example", "@mod:a.example"), "a.example"))
                .hasValue("@mod:a.example");
        assertThat(JoinAuthoriser.pick(levels, List.of("@user:a.example", "@remote:b.example"), "a.example"))
                .isEmpty();
        assertThat(JoinAuthoriser.pick(levels("{\"users\":{\"@admin:a.example:8448\":100}}"),
                List.of("@admin:a.example:8448"), "a.example")).as("another server, on a port").isEmpty();
    }
}
