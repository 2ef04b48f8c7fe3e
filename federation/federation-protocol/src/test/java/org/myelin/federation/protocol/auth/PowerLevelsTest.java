package org.myelin.federation.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.myelin.federation.protocol.room.RoomVersion;
import org.myelin.federation.protocol.room.RoomVersions;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class PowerLevelsTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final String CREATOR = "@creator:example.org";

    private static JsonNode json(String text) {
        return MAPPER.readTree(text);
    }

    private static OptionalLong level(String value, RoomVersion version) {
        return PowerLevels.level(json(value), version);
    }

    private static RoomCreate create(String content, RoomVersion version) {
        return RoomCreate.of(new JsonAuthEvent(json("{\"event_id\":\"$create\",\"type\":\"m.room.create\","
                + "\"state_key\":\"\",\"sender\":\"" + CREATOR + "\",\"content\":" + content + "}"), version, false),
                version);
    }

    private static PowerLevels levels(String content, RoomVersion version) {
        AuthEvent event = content == null ? null : new JsonAuthEvent(json("{\"event_id\":\"$pl\",\"type\":"
                + "\"m.room.power_levels\",\"state_key\":\"\",\"sender\":\"" + CREATOR + "\",\"content\":" + content
                + "}"), version, false);
        return PowerLevels.of(event, create("{\"creator\":\"" + CREATOR + "\"}", version), version);
    }

    @Test
    void levelShouldAcceptNumericStringsWhenVersionIsBeforeTen() {
        assertThat(level("\" +0050 \"", RoomVersions.V9)).hasValue(50);
        assertThat(level("\"-7\"", RoomVersions.V1)).hasValue(-7);
    }

    @Test
    void levelShouldRejectStringsWhenVersionIsTenOrLater() {
        assertThat(level("\"50\"", RoomVersions.V10)).isEmpty();
        assertThat(level("\"50\"", RoomVersions.V12)).isEmpty();
    }

    @Test
    void levelShouldRejectMalformedStringsWhenVersionAcceptsStrings() {
        assertThat(level("\"5.0\"", RoomVersions.V3)).isEmpty();
        assertThat(level("\"1e2\"", RoomVersions.V3)).isEmpty();
        assertThat(level("\"++5\"", RoomVersions.V3)).isEmpty();
        assertThat(level("\"\"", RoomVersions.V3)).isEmpty();
    }

    @Test
    void levelShouldTruncateFloatsWhenVersionIsBeforeSix() {
        assertThat(level("50.57", RoomVersions.V5)).hasValue(50);
        assertThat(level("5.114698E4", RoomVersions.V1)).hasValue(51146);
        assertThat(level("-1.5", RoomVersions.V1)).hasValue(-1);
    }

    @Test
    void levelShouldRejectFloatsWhenVersionEnforcesCanonicalJson() {
        assertThat(level("50.0", RoomVersions.V6)).isEmpty();
        assertThat(level("50.5", RoomVersions.V11)).isEmpty();
    }

    @Test
    void levelShouldSaturateBelowInfiniteWhenValueExceedsLongRange() {
        assertThat(level("99999999999999999999999", RoomVersions.V10)).hasValue(PowerLevels.INFINITE - 1);
        assertThat(level("-99999999999999999999999", RoomVersions.V10)).hasValue(Long.MIN_VALUE);
    }

    @Test
    void levelShouldRejectNonNumbersWhenAnyVersion() {
        assertThat(level("true", RoomVersions.V1)).isEmpty();
        assertThat(level("null", RoomVersions.V1)).isEmpty();
        assertThat(level("{}", RoomVersions.V1)).isEmpty();
    }

    @Test
    void defaultsShouldFollowTheSpecWhenRoomHasNoPowerLevelsEvent() {
        PowerLevels levels = levels(null, RoomVersions.V11);

        assertThat(levels.exists()).isFalse();
        assertThat(levels.userLevel(CREATOR)).isEqualTo(100);
        assertThat(levels.userLevel("@someone:example.org")).isZero();
        assertThat(levels.sendLevel("m.room.topic", true)).isEqualTo(50);
        assertThat(levels.sendLevel("m.room.message", false)).isZero();
        assertThat(levels.get("ban")).isEqualTo(50);
        assertThat(levels.get("kick")).isEqualTo(50);
        assertThat(levels.get("redact")).isEqualTo(50);
        assertThat(levels.get("invite")).isZero();
        assertThat(levels.notificationLevel("room")).isEqualTo(50);
    }

    @Test
    void creatorShouldHaveOnlyUsersDefaultWhenPowerLevelsExistBeforeTwelve() {
        PowerLevels levels = levels("{\"users_default\":5}", RoomVersions.V11);

        assertThat(levels.userLevel(CREATOR)).isEqualTo(5);
    }

    @Test
    void creatorsShouldHaveInfinitePowerWhenVersionIsTwelveWhateverUsersSays() {
        RoomCreate create = create("{\"additional_creators\":[\"@co:example.org\"]}", RoomVersions.V12);
        PowerLevels levels = PowerLevels.of(new JsonAuthEvent(json("{\"event_id\":\"$pl\",\"type\":"
                + "\"m.room.power_levels\",\"state_key\":\"\",\"sender\":\"" + CREATOR + "\",\"content\":"
                + "{\"users\":{\"" + CREATOR + "\":1,\"@co:example.org\":2}}}"), RoomVersions.V12, false),
                create, RoomVersions.V12);

        assertThat(levels.userLevel(CREATOR)).isEqualTo(PowerLevels.INFINITE);
        assertThat(levels.userLevel("@co:example.org")).isEqualTo(PowerLevels.INFINITE);
        assertThat(levels.userLevel("@other:example.org")).isZero();
    }

    @Test
    void explicitValuesShouldOverrideDefaultsAndSkipUnacceptedOnesWhenRead() {
        PowerLevels levels = levels("{\"ban\":\"75\",\"kick\":\"x\",\"events\":{\"m.room.name\":\"20\"},"
                + "\"notifications\":{\"room\":10},\"users\":{\"@a:example.org\":\"7\"}}", RoomVersions.V8);

        assertThat(levels.get("ban")).isEqualTo(75);
        assertThat(levels.get("kick")).isEqualTo(50);
        assertThat(levels.explicitTopLevel()).containsOnlyKeys("ban");
        assertThat(levels.sendLevel("m.room.name", true)).isEqualTo(20);
        assertThat(levels.notificationLevel("room")).isEqualTo(10);
        assertThat(levels.userLevel("@a:example.org")).isEqualTo(7);
    }
}
