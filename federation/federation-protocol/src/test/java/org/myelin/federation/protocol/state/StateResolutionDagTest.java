package org.myelin.federation.protocol.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.myelin.federation.protocol.state.RoomDag.ALICE;
import static org.myelin.federation.protocol.state.RoomDag.BOB;
import static org.myelin.federation.protocol.state.RoomDag.CHARLIE;
import static org.myelin.federation.protocol.state.RoomDag.EVELYN;
import static org.myelin.federation.protocol.state.RoomDag.JOIN_RULES;
import static org.myelin.federation.protocol.state.RoomDag.MEMBER;
import static org.myelin.federation.protocol.state.RoomDag.POWER;
import static org.myelin.federation.protocol.state.RoomDag.TOPIC;
import static org.myelin.federation.protocol.state.RoomDag.ZARA;
import static org.myelin.federation.protocol.state.RoomDag.id;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.myelin.federation.protocol.auth.AuthRules;
import org.myelin.federation.protocol.auth.StateTuple;
import org.myelin.federation.protocol.room.RoomVersions;

/**
 * Forks of a small room, written as symbolic DAGs: the scenarios Synapse's tests/state/test_v2.py describes (ban
 * vs power levels, join rule evasion, off-topic power levels, topic resets), plus v2.1 and input edge cases.
 */
class StateResolutionDagTest {

    private static final String ALICE_BOB_50 = "{\"users\":{\"" + ALICE + "\":100,\"" + BOB + "\":50}}";
    private static final String ALICE_BOB_0 = "{\"users\":{\"" + ALICE + "\":100,\"" + BOB + "\":0}}";
    private static final String TOPIC_CONTENT = "{\"topic\":\"t\"}";

    @Test
    void banShouldBeatPowerLevelsWhenTheBannedUserChangesPowerLevelsConcurrently() {
        RoomDag dag = new RoomDag(RoomVersions.V11);
        dag.state("PA", ALICE, POWER, "", ALICE_BOB_50, "IMZ");
        dag.state("MA", ALICE, MEMBER, ALICE, "{\"membership\":\"join\"}", "PA");
        dag.state("MB", ALICE, MEMBER, BOB, "{\"membership\":\"ban\"}", "MA");
        dag.state("PB", BOB, POWER, "", ALICE_BOB_50, "PA");

        assertThat(dag.resolve("MB", "PB")).isEqualTo(dag.stateAfterWith("IMZ", "PA", "MA", "MB"));
    }

    @Test
    void joinShouldLoseWhenJoinRulesBecomeInviteConcurrently() {
        RoomDag dag = new RoomDag(RoomVersions.V11);
        dag.state("JR", ALICE, JOIN_RULES, "", "{\"join_rule\":\"invite\"}", "IMZ");
        dag.state("ME", EVELYN, MEMBER, EVELYN, "{\"membership\":\"join\"}", "IMZ");

        Map<StateTuple, String> resolved = dag.resolve("JR", "ME");

        assertThat(resolved).isEqualTo(dag.stateAfterWith("IMZ", "JR"));
        assertThat(resolved).doesNotContainKey(new StateTuple(MEMBER, EVELYN));
    }

    @Test
    void latestPowerLevelsShouldWinWhenAChainOfChangesForksAtItsStart() {
        RoomDag dag = new RoomDag(RoomVersions.V11);
        dag.state("PA", ALICE, POWER, "", ALICE_BOB_50, "IMZ");
        dag.state("PB", BOB, POWER, "", "{\"users\":{\"" + ALICE + "\":100,\"" + BOB + "\":50,\"" + CHARLIE
                + "\":50}}", "PA");
        dag.state("PC", CHARLIE, POWER, "", "{\"users\":{\"" + ALICE + "\":100,\"" + BOB + "\":50,\"" + CHARLIE
                + "\":0}}", "PB");

        assertThat(dag.resolve("PC", "PA")).isEqualTo(dag.stateAfterWith("IMZ", "PC"));
    }

    @Test
    void topicShouldBeDiscardedWhenItsSenderIsDemotedConcurrently() {
        RoomDag dag = new RoomDag(RoomVersions.V11);
        dag.state("T1", ALICE, TOPIC, "", TOPIC_CONTENT, "IMZ");
        dag.state("PA1", ALICE, POWER, "", ALICE_BOB_50, "T1");
        dag.state("T2", ALICE, TOPIC, "", TOPIC_CONTENT, "PA1");
        dag.state("PA2", ALICE, POWER, "", ALICE_BOB_0, "T2");
        dag.state("PB", BOB, POWER, "", ALICE_BOB_50, "PA1");
        dag.state("T3", BOB, TOPIC, "", TOPIC_CONTENT, "PB");

        assertThat(dag.resolve("PA2", "T3")).isEqualTo(dag.stateAfterWith("IMZ", "PA2", "T2"));
    }

    @Test
    void topicShouldResetToTheEarlierOneWhenItsSenderIsBannedConcurrently() {
        RoomDag dag = new RoomDag(RoomVersions.V11);
        dag.state("T1", ALICE, TOPIC, "", TOPIC_CONTENT, "IMZ");
        dag.state("PA", ALICE, POWER, "", ALICE_BOB_50, "T1");
        dag.state("T2", BOB, TOPIC, "", TOPIC_CONTENT, "PA");
        dag.state("MB", ALICE, MEMBER, BOB, "{\"membership\":\"ban\"}", "T2");

        assertThat(dag.resolve("MB", "T1")).isEqualTo(dag.stateAfterWith("IMZ", "T1", "MB", "PA"));
    }

    @Test
    void mainlineShouldPickTheTopicBasedOnTheLatestPowerLevelsAcrossMessages() {
        RoomDag dag = new RoomDag(RoomVersions.V11);
        dag.state("T1", ALICE, TOPIC, "", TOPIC_CONTENT, "IMZ");
        dag.state("PA1", ALICE, POWER, "", ALICE_BOB_50, "T1");
        dag.state("T2", ALICE, TOPIC, "", TOPIC_CONTENT, "PA1");
        dag.state("PA2", ALICE, POWER, "", ALICE_BOB_0, "T2");
        dag.state("PB", BOB, POWER, "", ALICE_BOB_50, "PA1");
        dag.state("T3", BOB, TOPIC, "", TOPIC_CONTENT, "PB");
        dag.message("MZ1", ZARA, "PA2", "T3");
        dag.state("T4", ALICE, TOPIC, "", TOPIC_CONTENT, "MZ1");

        assertThat(dag.resolve("T4", "T3")).isEqualTo(dag.stateAfterWith("IMZ", "T4", "PA2"));
    }

    @Test
    void equalPowerTopicsShouldBeOrderedByTimestampWhenNeitherDescendsFromTheOther() {
        RoomDag dag = new RoomDag(RoomVersions.V11);
        dag.state("TZ", ALICE, TOPIC, "", "{\"topic\":\"later id, earlier ts\"}", "IMZ");
        dag.state("TA", ALICE, TOPIC, "", "{\"topic\":\"earlier id, later ts\"}", "IMZ");

        // Both sit at the same mainline position: the later origin_server_ts is applied last and wins.
        assertThat(dag.resolve("TZ", "TA")).isEqualTo(dag.stateAfterWith("IMZ", "TA"));
    }

    @Test
    void concurrentJoinsShouldBothBeKept() {
        RoomDag dag = new RoomDag(RoomVersions.V11);
        dag.state("ME", EVELYN, MEMBER, EVELYN, "{\"membership\":\"join\"}", "IMZ");
        dag.state("MC", CHARLIE, MEMBER, CHARLIE, "{\"membership\":\"leave\"}", "IMZ");

        assertThat(dag.resolve("ME", "MC")).isEqualTo(dag.stateAfterWith("IMZ", "ME", "MC"));
    }

    @Test
    void creatorBanShouldBeatPowerLevelsInRoomVersion12() {
        RoomDag dag = new RoomDag(RoomVersions.V12);
        String bob50 = "{\"users\":{\"" + BOB + "\":50}}";
        dag.state("PA", ALICE, POWER, "", bob50, "IMZ");
        dag.state("MB", ALICE, MEMBER, BOB, "{\"membership\":\"ban\"}", "PA");
        dag.state("PB", BOB, POWER, "", "{\"users\":{\"" + BOB + "\":50,\"" + CHARLIE + "\":50}}", "PA");

        assertThat(dag.resolve("MB", "PB")).isEqualTo(dag.stateAfterWith("IMZ", "PA", "MB"));
    }

    @Test
    void unconflictedStatesShouldResolveToTheirUnion() {
        RoomDag dag = new RoomDag(RoomVersions.V11);

        assertThat(dag.resolve("IMZ", "IMZ")).isEqualTo(dag.stateAfterWith("IMZ"));
        assertThat(new StateResolution(rules()).resolve(RoomVersions.V11, List.of(), dag.lookup())).isEmpty();
    }

    @Test
    void resolutionShouldFailWhenAConflictedEventIsUnknown() {
        RoomDag dag = new RoomDag(RoomVersions.V11);
        StateTuple topic = new StateTuple(TOPIC, "");

        assertThatThrownBy(() -> new StateResolution(rules()).resolve(RoomVersions.V11,
                List.of(Map.of(topic, "$missing"), Map.of(topic, id("IMZ"))), dag.lookup()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("$missing");
        assertThat(dag.lookup().find("$missing")).isEqualTo(Optional.empty());
    }

    private static AuthRules rules() {
        return new AuthRules((signed, keys) -> true, (event, server) -> true);
    }
}
