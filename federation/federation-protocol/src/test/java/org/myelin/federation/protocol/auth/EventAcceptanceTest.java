package org.myelin.federation.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.myelin.federation.protocol.auth.EventAcceptance.Acceptance;
import org.myelin.federation.protocol.auth.EventAcceptance.Outcome;
import org.myelin.federation.protocol.room.RoomVersion;
import org.myelin.federation.protocol.room.RoomVersions;

import tools.jackson.databind.json.JsonMapper;

/** The three checks on receipt of a PDU, each failing on its own. */
class EventAcceptanceTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final RoomVersion V11 = RoomVersions.V11;
    private static final String ALICE = "@alice:example.org";
    private static final String BOB = "@bob:remote.example";
    private static final EventAcceptance ACCEPTANCE = new EventAcceptance(
            new AuthRules((signed, keys) -> false, (event, server) -> false));

    private static final AuthEvent CREATE = event("{\"event_id\":\"$create\",\"type\":\"m.room.create\","
            + "\"state_key\":\"\",\"sender\":\"" + ALICE + "\",\"content\":{\"room_version\":\"11\"}}");
    private static final AuthEvent ALICE_JOIN = member("$alice", ALICE, "join", ALICE);
    private static final AuthEvent POWER = event("{\"event_id\":\"$power\",\"type\":\"m.room.power_levels\","
            + "\"state_key\":\"\",\"sender\":\"" + ALICE + "\",\"content\":{\"users\":{\"" + ALICE + "\":100}}}");
    private static final AuthEvent RULES = event("{\"event_id\":\"$rules\",\"type\":\"m.room.join_rules\","
            + "\"state_key\":\"\",\"sender\":\"" + ALICE + "\",\"content\":{\"join_rule\":\"public\"}}");
    private static final AuthEvent BOB_JOIN = member("$bobjoin", BOB, "join", BOB);
    private static final AuthEvent BOB_LEAVE = member("$bobleave", BOB, "leave", BOB);
    private static final AuthEvent BOB_BANNED = member("$bobban", BOB, "ban", ALICE);

    private static final AuthEvent MESSAGE = event("{\"event_id\":\"$msg\",\"type\":\"m.room.message\",\"sender\":\""
            + BOB + "\",\"auth_events\":[\"$create\",\"$power\",\"$bobjoin\"],\"content\":{\"body\":\"hi\"}}");

    @Test
    void anEventAllowedByAllThreeStatesShouldBeAccepted() {
        Acceptance result = check(MESSAGE, List.of(CREATE, POWER, BOB_JOIN), state(BOB_JOIN), state(BOB_JOIN));
        assertThat(result.outcome()).as(result.reason()).isEqualTo(Outcome.ACCEPTED);
        assertThat(result.accepted()).isTrue();
    }

    @Test
    void anEventItsOwnAuthEventsRefuseShouldBeRejected() {
        AuthEvent claimsLeave = event("{\"event_id\":\"$msg2\",\"type\":\"m.room.message\",\"sender\":\"" + BOB
                + "\",\"auth_events\":[\"$create\",\"$power\",\"$bobleave\"],\"content\":{\"body\":\"hi\"}}");
        Acceptance result = check(claimsLeave, List.of(CREATE, POWER, BOB_LEAVE), state(BOB_JOIN), state(BOB_JOIN));
        assertThat(result.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(result.reason()).startsWith("auth events:");
    }

    @Test
    void anEventTheStateBeforeItRefusesShouldBeRejected() {
        Acceptance result = check(MESSAGE, List.of(CREATE, POWER, BOB_JOIN), state(BOB_LEAVE), state(BOB_JOIN));
        assertThat(result.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(result.reason()).startsWith("state before:");
    }

    @Test
    void anEventOnlyTheCurrentStateRefusesShouldBeSoftFailed() {
        Acceptance result = check(MESSAGE, List.of(CREATE, POWER, BOB_JOIN), state(BOB_JOIN), state(BOB_BANNED));
        assertThat(result.outcome()).isEqualTo(Outcome.SOFT_FAILED);
        assertThat(result.reason()).startsWith("current state:");
        assertThat(result.accepted()).isFalse();
    }

    private static Acceptance check(AuthEvent event, List<AuthEvent> authEvents, AuthState before,
            AuthState current) {
        return ACCEPTANCE.check(event, AuthState.ofAuthEvents(authEvents, null), before, current, V11);
    }

    private static AuthState state(AuthEvent bobMembership) {
        List<AuthEvent> state = new ArrayList<>(List.of(CREATE, ALICE_JOIN, POWER, RULES));
        state.add(bobMembership);
        return AuthState.ofRoomState(state);
    }

    private static AuthEvent member(String id, String user, String membership, String sender) {
        return event("{\"event_id\":\"" + id + "\",\"type\":\"m.room.member\",\"state_key\":\"" + user
                + "\",\"sender\":\"" + sender + "\",\"content\":{\"membership\":\"" + membership + "\"}}");
    }

    private static AuthEvent event(String json) {
        return new JsonAuthEvent(MAPPER.readTree(json), V11, false);
    }
}
