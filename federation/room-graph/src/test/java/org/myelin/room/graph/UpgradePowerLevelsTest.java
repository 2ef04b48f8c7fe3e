package org.myelin.room.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.myelin.federation.protocol.auth.PowerLevels;
import org.myelin.federation.protocol.auth.RoomCreate;
import org.myelin.federation.protocol.room.RoomVersion;
import org.myelin.federation.protocol.room.RoomVersions;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class UpgradePowerLevelsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void carriedShouldTurnStringLevelsIntoIntegersAndKeepOtherKeys() {
        ObjectNode old = content("{\"users\":{\"@a:hs\":\"100\"},\"ban\":\"60\",\"events\":{\"m.room.name\":\"20\"},"
                + "\"custom\":true}");
        ObjectNode carried = UpgradePowerLevels.carried(levels(old, RoomVersions.V5, "@a:hs"), old,
                Set.of("@a:hs"), RoomVersions.V11, Set.of("@a:hs"));
        assertThat(reparsed(carried)).isEqualTo(json("{\"users\":{\"@a:hs\":100},\"ban\":60,\"events\":{\"m.room.name\":20},"
                + "\"notifications\":{},\"custom\":true}"));
    }

    @Test
    void carriedShouldLeaveV12CreatorsOutOfUsers() {
        ObjectNode old = content("{\"users\":{\"@a:hs\":100,\"@b:hs\":50,\"@c:hs\":10}}");
        ObjectNode carried = UpgradePowerLevels.carried(levels(old, RoomVersions.V11, "@a:hs"), old,
                Set.of("@a:hs"), RoomVersions.V12, Set.of("@a:hs", "@b:hs"));
        assertThat(reparsed(carried.get("users"))).isEqualTo(json("{\"@c:hs\":10}"));
    }

    @Test
    void carriedShouldGiveFormerV12CreatorsLevel100InOlderVersions() {
        ObjectNode old = content("{\"users\":{\"@c:hs\":10}}");
        ObjectNode carried = UpgradePowerLevels.carried(levels(old, RoomVersions.V12, "@a:hs"), old,
                Set.of("@a:hs"), RoomVersions.V11, Set.of("@c:hs"));
        assertThat(reparsed(carried.get("users"))).isEqualTo(json("{\"@c:hs\":10,\"@a:hs\":100}"));
    }

    @Test
    void raisedShouldLiftTheUpgraderToTheHighestNeededLevelOnly() {
        ObjectNode carried = content("{\"users\":{\"@b:hs\":60},\"state_default\":50,\"ban\":70,"
                + "\"events\":{\"m.room.power_levels\":90}}");
        ObjectNode raised = UpgradePowerLevels.raised(carried, "@b:hs", RoomVersions.V11, Set.of("@b:hs"));
        assertThat(raised.path("users").path("@b:hs").asInt()).isEqualTo(90);
        assertThat(carried.path("users").path("@b:hs").asInt()).isEqualTo(60);
        ObjectNode strong = content("{\"users\":{\"@b:hs\":100},\"events\":{\"m.room.power_levels\":90}}");
        assertThat(UpgradePowerLevels.raised(strong, "@b:hs", RoomVersions.V11, Set.of("@b:hs"))).isSameAs(strong);
        assertThat(UpgradePowerLevels.raised(carried, "@b:hs", RoomVersions.V12, Set.of("@b:hs")))
                .isSameAs(carried);
    }

    @Test
    void restrictedShouldRaiseEventsDefaultAndInviteToFiftyOrAboveUsersDefault() {
        ObjectNode old = content("{\"users_default\":0,\"events_default\":0,\"invite\":0}");
        ObjectNode restricted = UpgradePowerLevels.restricted(levels(old, RoomVersions.V11, "@a:hs"), old);
        assertThat(restricted.path("events_default").asInt()).isEqualTo(50);
        assertThat(restricted.path("invite").asInt()).isEqualTo(50);
        ObjectNode generous = content("{\"users_default\":60,\"events_default\":0,\"invite\":100}");
        ObjectNode raised = UpgradePowerLevels.restricted(levels(generous, RoomVersions.V11, "@a:hs"), generous);
        assertThat(raised.path("events_default").asInt()).isEqualTo(61);
        assertThat(raised.path("invite").asInt()).isEqualTo(100);
        ObjectNode already = content("{\"events_default\":50,\"invite\":50}");
        assertThat(UpgradePowerLevels.restricted(levels(already, RoomVersions.V11, "@a:hs"), already)).isNull();
    }

    private static PowerLevels levels(ObjectNode content, RoomVersion version, String creator) {
        ObjectNode create = content("{\"type\":\"m.room.create\",\"state_key\":\"\",\"sender\":\"" + creator
                + "\",\"content\":{\"creator\":\"" + creator + "\"}}");
        ObjectNode event = JSON.createObjectNode().put("type", "m.room.power_levels").put("state_key", "");
        event.set("content", content);
        return PowerLevels.of(new EventView("$pl", event, version),
                RoomCreate.of(new EventView("$create", create, version), version), version);
    }

    /** The node with every number read back as the mapper reads it, so 10 as a long equals 10 as an int. */
    private static JsonNode reparsed(JsonNode node) {
        return json(node.toString());
    }

    private static ObjectNode content(String text) {
        return (ObjectNode) json(text);
    }

    private static JsonNode json(String text) {
        return JSON.readTree(text);
    }
}
