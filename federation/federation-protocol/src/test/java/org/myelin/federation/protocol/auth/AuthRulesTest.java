package org.myelin.federation.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.myelin.federation.protocol.room.RoomVersion;
import org.myelin.federation.protocol.room.RoomVersions;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The pluggable signature checks and the two kinds of {@link AuthState}, beyond the JSON cases. */
class AuthRulesTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final RoomVersion V11 = RoomVersions.V11;
    private static final String ALICE = "@alice:example.org";
    private static final String NEW = "@new:example.org";

    private static JsonAuthEvent event(String json, RoomVersion version) {
        return new JsonAuthEvent(MAPPER.readTree(json), version, false);
    }

    private static List<AuthEvent> room(RoomVersion version) {
        return List.of(
                event("{\"event_id\":\"$create\",\"type\":\"m.room.create\",\"state_key\":\"\",\"sender\":\""
                        + ALICE + "\",\"content\":{\"creator\":\"" + ALICE + "\"}}", version),
                event("{\"event_id\":\"$alice\",\"type\":\"m.room.member\",\"state_key\":\"" + ALICE
                        + "\",\"sender\":\"" + ALICE + "\",\"content\":{\"membership\":\"join\"}}", version),
                event("{\"event_id\":\"$jr\",\"type\":\"m.room.join_rules\",\"state_key\":\"\",\"sender\":\""
                        + ALICE + "\",\"content\":{\"join_rule\":\"restricted\"}}", version),
                event("{\"event_id\":\"$tpi\",\"type\":\"m.room.third_party_invite\",\"state_key\":\"tok\","
                        + "\"sender\":\"" + ALICE + "\",\"content\":{\"public_key\":\"K1\",\"public_keys\":"
                        + "[{\"public_key\":\"K2\"}]}}", version));
    }

    private static JsonAuthEvent thirdPartyInvite() {
        return event("{\"event_id\":\"$event\",\"type\":\"m.room.member\",\"state_key\":\"" + NEW + "\",\"sender\":\""
                + ALICE + "\",\"content\":{\"membership\":\"invite\",\"third_party_invite\":{\"signed\":{\"mxid\":\""
                + NEW + "\",\"token\":\"tok\",\"signatures\":{\"id.example.org\":{\"ed25519:0\":\"s\"}}}}}}", V11);
    }

    private static JsonAuthEvent restrictedJoin(RoomVersion version) {
        return event("{\"event_id\":\"$event\",\"type\":\"m.room.member\",\"state_key\":\"" + NEW + "\",\"sender\":\""
                + NEW + "\",\"content\":{\"membership\":\"join\",\"join_authorised_via_users_server\":\"" + ALICE
                + "\"}}", version);
    }

    @Test
    void thirdPartyInviteShouldBeAllowedWhenVerifierAcceptsTheSignature() {
        List<List<String>> keysSeen = new ArrayList<>();
        List<JsonNode> signedSeen = new ArrayList<>();
        AuthRules rules = new AuthRules((signed, keys) -> {
            signedSeen.add(signed);
            keysSeen.add(keys);
            return true;
        }, (event, server) -> false);

        AuthResult result = rules.check(thirdPartyInvite(), AuthState.ofRoomState(room(V11)), V11);

        assertThat(result.allowed()).as(result.reason()).isTrue();
        assertThat(result.rule()).isEqualTo(AuthRule.MEMBER_INVITE_3PID_SIGNATURE);
        assertThat(keysSeen).containsExactly(List.of("K1", "K2"));
        assertThat(signedSeen.get(0).path("token").stringValue()).isEqualTo("tok");
    }

    @Test
    void thirdPartyInviteShouldBeRejectedWhenVerifierRefusesTheSignature() {
        AuthRules rules = new AuthRules((signed, keys) -> false, (event, server) -> true);

        AuthResult result = rules.check(thirdPartyInvite(), AuthState.ofRoomState(room(V11)), V11);

        assertThat(result.allowed()).isFalse();
        assertThat(result.rule()).isEqualTo(AuthRule.MEMBER_INVITE_3PID_SIGNATURE);
        assertThat(result.reason()).contains("member.invite.third_party.signature");
    }

    @Test
    void restrictedJoinShouldAskForTheAuthorisingServersSignatureWhenVersionHasRestrictedRooms() {
        List<String> serversAsked = new ArrayList<>();
        AuthRules rules = new AuthRules((signed, keys) -> false, (event, server) -> serversAsked.add(server));

        AuthResult result = rules.check(restrictedJoin(V11), AuthState.ofRoomState(room(V11)), V11);

        assertThat(serversAsked).containsExactly("example.org");
        assertThat(result.allowed()).as(result.reason()).isTrue();
        assertThat(result.rule()).isEqualTo(AuthRule.MEMBER_JOIN_RESTRICTED);
    }

    @Test
    void restrictedJoinShouldBeRejectedWhenTheAuthorisingServerDidNotSign() {
        AuthRules rules = new AuthRules((signed, keys) -> true, (event, server) -> false);

        AuthResult result = rules.check(restrictedJoin(V11), AuthState.ofRoomState(room(V11)), V11);

        assertThat(result.allowed()).isFalse();
        assertThat(result.rule()).isEqualTo(AuthRule.MEMBER_JOIN_AUTHORISED_SIGNATURE);
    }

    @Test
    void serverSignatureShouldNotBeAskedWhenVersionPredatesRestrictedRooms() {
        List<String> serversAsked = new ArrayList<>();
        AuthRules rules = new AuthRules((signed, keys) -> false, (event, server) -> serversAsked.add(server));

        rules.check(restrictedJoin(RoomVersions.V7), AuthState.ofRoomState(room(RoomVersions.V7)), RoomVersions.V7);

        assertThat(serversAsked).isEmpty();
    }

    @Test
    void roomStateShouldNotListAuthEventsWhenBuiltFromState() {
        AuthState state = AuthState.ofRoomState(room(V11));

        assertThat(state.listedAuthEvents()).isEmpty();
        assertThat(state.get("m.room.member", ALICE)).map(AuthEvent::eventId).hasValue("$alice");
        assertThat(state.get("m.room.member", NEW)).isEmpty();
    }

    @Test
    void authEventsStateShouldFindTheSeparateCreateEventWhenVersionIsTwelve() {
        List<AuthEvent> room = room(RoomVersions.V12);
        AuthState state = AuthState.ofAuthEvents(List.of(room.get(1)), room.get(0));

        assertThat(state.listedAuthEvents()).hasValue(List.of(room.get(1)));
        assertThat(state.get("m.room.create", "")).map(AuthEvent::eventId).hasValue("$create");
    }

    @Test
    void messageShouldBeRejectedWhenStateHasNoCreateEvent() {
        AuthRules rules = AuthCases.rules();
        JsonAuthEvent message = event("{\"event_id\":\"$m\",\"type\":\"m.room.message\",\"sender\":\"" + ALICE
                + "\",\"content\":{}}", V11);

        AuthResult result = rules.check(message, AuthState.ofRoomState(room(V11).subList(1, 2)), V11);

        assertThat(result.allowed()).isFalse();
        assertThat(result.rule()).isEqualTo(AuthRule.AUTH_EVENTS_CREATE);
    }
}
