package org.myelin.federation.protocol.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.myelin.federation.protocol.auth.AuthEvent;
import org.myelin.federation.protocol.auth.AuthRules;
import org.myelin.federation.protocol.auth.StateTuple;
import org.myelin.federation.protocol.room.RoomVersions;

import tools.jackson.databind.json.JsonMapper;

/** State resolution v1 on a small room-version-1 fork: Alice (admin) and Bob (member) each change state. */
class StateResolutionV1Test {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ALICE = "@alice:a.example";
    private static final String BOB = "@bob:b.example";
    private static final Map<String, AuthEvent> EVENTS = new HashMap<>();

    private static final AuthEvent CREATE = event("$create:a.example", "m.room.create", "", ALICE, 1,
            "{\"creator\":\"" + ALICE + "\"}");
    private static final AuthEvent ALICE_JOIN = event("$alice:a.example", "m.room.member", ALICE, ALICE, 2,
            "{\"membership\":\"join\"}");
    private static final AuthEvent POWER = event("$power:a.example", "m.room.power_levels", "", ALICE, 3,
            "{\"users\":{\"" + ALICE + "\":100},\"state_default\":50}");
    private static final AuthEvent RULES = event("$rules:a.example", "m.room.join_rules", "", ALICE, 4,
            "{\"join_rule\":\"public\"}");
    private static final AuthEvent BOB_JOIN = event("$bob:b.example", "m.room.member", BOB, BOB, 5,
            "{\"membership\":\"join\"}");
    /** Alice's fork: Bob becomes a moderator, and Alice sets a topic. */
    private static final AuthEvent POWER_BY_ALICE = event("$power2:a.example", "m.room.power_levels", "", ALICE, 6,
            "{\"users\":{\"" + ALICE + "\":100,\"" + BOB + "\":50},\"state_default\":50}");
    private static final AuthEvent TOPIC_BY_ALICE = event("$topic1:a.example", "m.room.topic", "", ALICE, 7,
            "{\"topic\":\"Alice's\"}");
    /** Bob's fork, deeper: he makes himself admin, and sets a topic. */
    private static final AuthEvent POWER_BY_BOB = event("$power3:b.example", "m.room.power_levels", "", BOB, 8,
            "{\"users\":{\"" + ALICE + "\":100,\"" + BOB + "\":100},\"state_default\":50}");
    private static final AuthEvent TOPIC_BY_BOB = event("$topic2:b.example", "m.room.topic", "", BOB, 9,
            "{\"topic\":\"Bob's\"}");

    @Test
    void authEventsShouldBeKeptWhileAllowedAndOtherKeysGoToTheDeepestAllowedEvent() {
        Map<StateTuple, String> base = state(CREATE, ALICE_JOIN, POWER, RULES, BOB_JOIN);
        Map<StateTuple, String> alices = new HashMap<>(base);
        alices.putAll(state(POWER_BY_ALICE, TOPIC_BY_ALICE));
        Map<StateTuple, String> bobs = new HashMap<>(base);
        bobs.putAll(state(POWER_BY_BOB, TOPIC_BY_BOB));

        Map<StateTuple, String> resolved = resolve(List.of(alices, bobs));

        // Ascending depth: Alice's power levels first; Bob raising himself to 100 from 50 is not allowed.
        assertThat(resolved.get(new StateTuple("m.room.power_levels", ""))).isEqualTo(POWER_BY_ALICE.eventId());
        // Deepest first: Bob's topic (a moderator now, 50 = state_default) is allowed, so it wins.
        assertThat(resolved.get(new StateTuple("m.room.topic", ""))).isEqualTo(TOPIC_BY_BOB.eventId());
        assertThat(resolved.get(new StateTuple("m.room.member", BOB))).isEqualTo(BOB_JOIN.eventId());
    }

    @Test
    void withoutPowerTheDeepestEventShouldLoseToAnAllowedShallowerOne() {
        Map<StateTuple, String> base = state(CREATE, ALICE_JOIN, POWER, RULES, BOB_JOIN);
        Map<StateTuple, String> alices = new HashMap<>(base);
        alices.putAll(state(TOPIC_BY_ALICE));
        Map<StateTuple, String> bobs = new HashMap<>(base);
        bobs.putAll(state(TOPIC_BY_BOB));

        assertThat(resolve(List.of(alices, bobs)).get(new StateTuple("m.room.topic", "")))
                .isEqualTo(TOPIC_BY_ALICE.eventId());
    }

    @Test
    void aKeyOnlySomeStatesHaveShouldNotBeAConflict() {
        Map<StateTuple, String> base = state(CREATE, ALICE_JOIN, POWER, RULES);
        Map<StateTuple, String> withBob = new HashMap<>(base);
        withBob.putAll(state(BOB_JOIN));
        assertThat(resolve(List.of(base, withBob))).isEqualTo(withBob);
    }

    private static Map<StateTuple, String> resolve(List<Map<StateTuple, String>> states) {
        AuthRules rules = new AuthRules((signed, keys) -> false, (event, server) -> false);
        return new StateResolution(rules).resolve(RoomVersions.V1, states, id -> Optional.ofNullable(EVENTS.get(id)));
    }

    private static Map<StateTuple, String> state(AuthEvent... events) {
        Map<StateTuple, String> state = new HashMap<>();
        for (AuthEvent event : events) {
            state.put(new StateTuple(event.type(), event.stateKey()), event.eventId());
        }
        return state;
    }

    private static AuthEvent event(String id, String type, String stateKey, String sender, long depth,
            String content) {
        AuthEvent event = new JsonEvent(JSON.readTree("{\"event_id\":\"" + id + "\",\"room_id\":\"!r:a.example\","
                + "\"type\":\"" + type + "\",\"state_key\":\"" + stateKey + "\",\"sender\":\"" + sender
                + "\",\"depth\":" + depth + ",\"content\":" + content + "}"));
        EVENTS.put(id, event);
        return event;
    }
}
