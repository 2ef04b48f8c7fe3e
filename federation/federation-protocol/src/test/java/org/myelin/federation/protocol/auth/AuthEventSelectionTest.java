package org.myelin.federation.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.myelin.federation.protocol.room.RoomVersions;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class AuthEventSelectionTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final String ALICE = "@alice:example.org";
    private static final String BOB = "@bob:example.org";
    private static final StateTuple CREATE = new StateTuple("m.room.create", "");
    private static final StateTuple POWER = new StateTuple("m.room.power_levels", "");
    private static final StateTuple JOIN_RULES = new StateTuple("m.room.join_rules", "");

    private static JsonNode json(String text) {
        return MAPPER.readTree(text);
    }

    private static StateTuple member(String user) {
        return new StateTuple("m.room.member", user);
    }

    @Test
    void createEventShouldNeedNoAuthEventsWhenSelected() {
        assertThat(AuthEventSelection.requiredAuthEventKeys("m.room.create", "", ALICE, json("{}"),
                RoomVersions.V11)).isEmpty();
    }

    @Test
    void messageShouldSelectCreatePowerLevelsAndSenderWhenVersionIsBeforeTwelve() {
        assertThat(AuthEventSelection.requiredAuthEventKeys("m.room.message", null, ALICE, json("{}"),
                RoomVersions.V11)).containsExactlyInAnyOrder(CREATE, POWER, member(ALICE));
    }

    @Test
    void messageShouldNotSelectCreateWhenVersionIsTwelve() {
        assertThat(AuthEventSelection.requiredAuthEventKeys("m.room.message", null, ALICE, json("{}"),
                RoomVersions.V12)).containsExactlyInAnyOrder(POWER, member(ALICE));
    }

    @Test
    void inviteShouldSelectTargetJoinRulesAndThirdPartyTokenWhenPresent() {
        JsonNode content = json("{\"membership\":\"invite\",\"third_party_invite\":{\"signed\":{\"token\":\"t\"}}}");

        assertThat(AuthEventSelection.requiredAuthEventKeys("m.room.member", BOB, ALICE, content, RoomVersions.V1))
                .containsExactlyInAnyOrder(CREATE, POWER, member(ALICE), member(BOB), JOIN_RULES,
                        new StateTuple("m.room.third_party_invite", "t"));
    }

    @Test
    void leaveShouldNotSelectJoinRulesWhenKicking() {
        assertThat(AuthEventSelection.requiredAuthEventKeys("m.room.member", BOB, ALICE,
                json("{\"membership\":\"leave\"}"), RoomVersions.V9))
                .containsExactlyInAnyOrder(CREATE, POWER, member(ALICE), member(BOB));
    }

    @Test
    void restrictedJoinShouldSelectAuthoriserWhenVersionSupportsRestrictedRooms() {
        JsonNode content = json("{\"membership\":\"join\",\"join_authorised_via_users_server\":\"" + ALICE + "\"}");

        assertThat(AuthEventSelection.requiredAuthEventKeys("m.room.member", BOB, BOB, content, RoomVersions.V8))
                .containsExactlyInAnyOrder(CREATE, POWER, member(BOB), JOIN_RULES, member(ALICE));
        assertThat(AuthEventSelection.requiredAuthEventKeys("m.room.member", BOB, BOB, content, RoomVersions.V7))
                .containsExactlyInAnyOrder(CREATE, POWER, member(BOB), JOIN_RULES);
    }

    @Test
    void knockShouldSelectJoinRulesWhenKnocking() {
        assertThat(AuthEventSelection.requiredAuthEventKeys("m.room.member", BOB, BOB,
                json("{\"membership\":\"knock\"}"), RoomVersions.V12))
                .containsExactlyInAnyOrder(POWER, member(BOB), JOIN_RULES);
    }
}
