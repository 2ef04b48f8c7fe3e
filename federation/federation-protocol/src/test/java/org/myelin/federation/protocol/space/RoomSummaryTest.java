package org.myelin.federation.protocol.space;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import tools.jackson.databind.json.JsonMapper;

/** Who may preview a room, and summaries to and from JSON. */
class RoomSummaryTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static RoomSummary room(String joinRule, boolean worldReadable) {
        return new RoomSummary("!r:x.org", "Name", null, null, null, 3, worldReadable, false, joinRule, null, "12",
                null, List.of("!space:x.org"));
    }

    @ParameterizedTest(name = "{0}, world readable {1}, membership {2}, in allowed room {3}: {4}")
    @CsvSource(nullValues = "none", value = {
        "public,           false, none,   false, true",
        "knock,            false, none,   false, true",
        "knock_restricted, false, none,   false, true",
        "invite,           true,  none,   false, true",
        "invite,           false, none,   false, false",
        "invite,           false, leave,  false, false",
        "invite,           false, ban,    false, false",
        "invite,           false, invite, false, true",
        "invite,           false, join,   false, true",
        "restricted,       false, none,   false, false",
        "restricted,       false, none,   true,  true",
        "invite,           false, none,   true,  false",
        "private,          false, none,   false, false"})
    void previewsFollowTheHierarchyRules(String joinRule, boolean worldReadable, String membership,
            boolean inAllowedRoom, boolean previewable) {
        assertThat(room(joinRule, worldReadable).previewableBy(membership, inAllowedRoom)).isEqualTo(previewable);
    }

    @Test
    void aSummaryRendersItsFieldsAndTheAllowedRoomsOfARestrictedRoom() {
        RoomSummary restricted = room("restricted", false);
        assertThat(restricted.toJson().toString()).isEqualTo("{\"room_id\":\"!r:x.org\",\"name\":\"Name\","
                + "\"num_joined_members\":3,\"world_readable\":false,\"guest_can_join\":false,"
                + "\"join_rule\":\"restricted\",\"room_version\":\"12\",\"allowed_room_ids\":[\"!space:x.org\"]}");
        RoomSummary open = new RoomSummary("!r:x.org", null, null, null, null, 0, false, false, "public", null, null,
                null, List.of());
        assertThat(open.toJson().has("allowed_room_ids")).isFalse();
    }

    @Test
    void anotherServersSummaryIsReadFieldByField() {
        RoomSummary read = RoomSummary.fromJson(JSON.readTree("""
                {"room_id":"!r:x.org","num_joined_members":5,"name":7,"topic":"t","world_readable":true,
                 "guest_can_join":"yes","room_type":"m.space","encryption":"other","extra":{"a":1}}""")).orElseThrow();
        assertThat(read.name()).isNull();
        assertThat(read.topic()).isEqualTo("t");
        assertThat(read.worldReadable()).isTrue();
        assertThat(read.guestCanJoin()).isFalse();
        assertThat(read.joinRule()).isEqualTo("public");
        assertThat(read.isSpace()).isTrue();
        assertThat(read.encryption()).isNull();
        assertThat(read.toJson().has("extra")).isFalse();
    }

    @Test
    void aSummaryWithoutRoomIdOrMemberCountIsRefused() {
        assertThat(RoomSummary.fromJson(JSON.readTree("{\"num_joined_members\":1}"))).isEmpty();
        assertThat(RoomSummary.fromJson(JSON.readTree("{\"room_id\":\"!r:x.org\"}"))).isEmpty();
        assertThat(RoomSummary.fromJson(JSON.readTree("{\"room_id\":\"!r:x.org\",\"num_joined_members\":-1}")))
                .isEmpty();
    }

    @Test
    void aSpaceRoomKeepsItsValidChildrenInOrder() {
        SpaceRoom space = SpaceRoom.fromJson(JSON.readTree("""
                {"room_id":"!s:x.org","num_joined_members":1,"room_type":"m.space","children_state":[
                  {"type":"m.space.child","state_key":"!b:x.org","sender":"@a:x.org","origin_server_ts":2,
                   "content":{"via":["x.org"],"suggested":true}},
                  {"type":"m.space.child","state_key":"!a:x.org","sender":"@a:x.org","origin_server_ts":1,
                   "content":{"via":["x.org"]}},
                  {"type":"m.space.child","state_key":"!c:x.org","sender":"@a:x.org","origin_server_ts":1,
                   "content":{}}]}""")).orElseThrow();
        assertThat(space.children()).extracting(SpaceChild::roomId).containsExactly("!a:x.org", "!b:x.org");
        assertThat(space.suggestedOnly(true).children()).extracting(SpaceChild::roomId).containsExactly("!b:x.org");
        assertThat(space.toJson().path("children_state").size()).isEqualTo(2);
    }
}
