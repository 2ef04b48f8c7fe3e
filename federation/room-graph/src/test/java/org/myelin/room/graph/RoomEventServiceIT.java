package org.myelin.room.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.myelin.db.room.StateEntry;
import org.myelin.db.support.Database;
import org.myelin.db.testing.RequiresPostgres;
import org.myelin.db.testing.TestDatabase;
import org.myelin.federation.protocol.auth.Membership;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.EventId;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.federation.protocol.room.RoomVersions;
import org.myelin.room.api.MembershipChange;
import org.myelin.room.api.StateContent;

import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

@RequiresPostgres
class RoomEventServiceIT {

    private static final UserId ALICE = UserId.parse("@alice:test.local");

    private static TestDatabase.Db database;
    private static Database node1;
    private static Database node2;

    @BeforeAll
    static void migrate() {
        database = TestRooms.migrated("RoomEventServiceIT");
        node1 = TestRooms.connect(database);
        node2 = TestRooms.connect(database);
    }

    @Test
    void identicalV12CreateRequestsInOneMillisecondShouldMakeDifferentRooms() {
        Clock frozen = Clock.fixed(Instant.parse("2026-12-03T08:00:00Z"), ZoneOffset.UTC);
        LocalClientRoomApi api = TestRooms.api(node1, TestRooms.service(node1, frozen, 100, 4));
        LocalClientRoomApi other = TestRooms.api(node2, TestRooms.service(node2, frozen, 100, 4));
        List<RoomId> rooms = Flux.range(0, 8)
                .flatMap(i -> (i % 2 == 0 ? api : other).createRoom(ALICE, TestRooms.request(RoomVersions.V12)), 8)
                .collectList().block();
        assertThat(rooms).hasSize(8).doesNotHaveDuplicates();
    }

    @Test
    void stateGroupsShouldStoreOneRowPerStateEventNotTheWholeState() {
        RoomEventService service = TestRooms.service(node1, 100, 4);
        LocalClientRoomApi api = TestRooms.api(node1, service);
        RoomId room = api.createRoom(ALICE, TestRooms.request(RoomVersions.V12)).block();
        long before = count("SELECT count(*) AS n FROM state_group_entries e JOIN state_groups g "
                + "ON g.id = e.state_group WHERE g.room_id = '" + room.value() + "'");
        int sends = 60;
        for (int i = 0; i < sends; i++) {
            api.sendState(ALICE, "DEV", room, new StateContent("org.example.state", "key" + i, content("n", i)))
                    .block();
        }
        long after = count("SELECT count(*) AS n FROM state_group_entries e JOIN state_groups g "
                + "ON g.id = e.state_group WHERE g.room_id = '" + room.value() + "'");
        assertThat(after - before).as("entries written for %s state events", sends).isEqualTo(sends);
        assertThat(count("SELECT max(n) AS n FROM (SELECT count(*) AS n FROM state_group_entries e JOIN state_groups g"
                + " ON g.id = e.state_group WHERE g.room_id = '" + room.value() + "' AND g.prev_group IS NOT NULL"
                + " GROUP BY g.id) per_group")).isEqualTo(1);
        assertStateGroupOfLatestEventMatchesCurrentState(room);
    }

    @Test
    void snapshotsShouldAppearOnlyWhenTheChainOutgrowsTheStateAndReadBackTheSameState() {
        RoomEventService service = TestRooms.service(node1, 5, 4);
        LocalClientRoomApi api = TestRooms.api(node1, service);
        RoomId room = api.createRoom(ALICE, TestRooms.request(RoomVersions.V10)).block();
        for (int i = 0; i < 30; i++) {
            api.sendState(ALICE, "DEV", room, new StateContent("org.example.state", "k" + (i % 12),
                    content("n", i))).block();
        }
        long snapshots = count("SELECT count(*) AS n FROM state_groups WHERE prev_group IS NULL AND room_id = '"
                + room.value() + "'");
        assertThat(snapshots).isBetween(2L, 8L);
        assertThat(count("SELECT max(chain_len) AS n FROM state_groups WHERE room_id = '" + room.value() + "'"))
                .isLessThanOrEqualTo(5);
        assertStateGroupOfLatestEventMatchesCurrentState(room);
    }

    @Test
    void parallelSendsFromTwoNodesShouldNeverForkTheRoom() {
        RoomEventService service1 = TestRooms.service(node1, 100, 4);
        RoomEventService service2 = TestRooms.service(node2, 100, 4);
        LocalClientRoomApi api1 = TestRooms.api(node1, service1);
        LocalClientRoomApi api2 = TestRooms.api(node2, service2);
        RoomId room = api1.createRoom(ALICE, TestRooms.request(RoomVersions.V12)).block();
        int sends = 24;
        List<String> ids = Flux.range(0, sends)
                .flatMap(i -> (i % 2 == 0 ? api1 : api2).send(ALICE, "DEV", room, "m.room.message",
                        content("body", i), null).subscribeOn(Schedulers.boundedElastic()), sends)
                .map(id -> id.value()).collectList().block();
        assertThat(ids).hasSize(sends).doesNotHaveDuplicates();
        assertThat(count("SELECT count(*) AS n FROM forward_extremities WHERE room_id = '" + room.value() + "'"))
                .isEqualTo(1);
        List<Long> depths = node1.many(node1.sql("SELECT depth FROM events WHERE room_id = :r ORDER BY depth")
                .bind("r", room.value()), r -> r.longValue("depth")).block();
        assertThat(depths).doesNotHaveDuplicates();
        assertThat(depths.get(depths.size() - 1)).isEqualTo(depths.size());
        assertThat(count("SELECT count(*) AS n FROM event_edges x JOIN events e ON e.event_id = x.event_id "
                + "WHERE e.room_id = '" + room.value() + "'")).isEqualTo(depths.size() - 1);
    }

    @Test
    void repeatedTransactionIdShouldReturnTheFirstEventAndStoreNothingNew() {
        RoomEventService service = TestRooms.service(node1, 100, 4);
        LocalClientRoomApi api = TestRooms.api(node1, service);
        RoomId room = api.createRoom(ALICE, TestRooms.request(RoomVersions.V12)).block();
        String first = api.send(ALICE, "DEV", room, "m.room.message", content("body", 1), "txn1").block().value();
        String again = api.send(ALICE, "DEV", room, "m.room.message", content("body", 2), "txn1").block().value();
        String otherDevice = api.send(ALICE, "DEV2", room, "m.room.message", content("body", 1), "txn1").block()
                .value();
        assertThat(again).isEqualTo(first);
        assertThat(otherDevice).isNotEqualTo(first);
    }

    @Test
    void anInviteShouldNameTheInvitingServerAsOriginAndOtherEventsShouldNot() {
        RoomEventService service = TestRooms.service(node1, 100, 4);
        LocalClientRoomApi api = TestRooms.api(node1, service);
        RoomId room = api.createRoom(ALICE, TestRooms.request(RoomVersions.V12)).block();
        EventId invite = api.changeMembership(new MembershipChange(room, ALICE, UserId.parse("@bob:elsewhere.example"),
                Membership.INVITE, null, false)).block();
        EventId message = api.send(ALICE, "DEV", room, "m.room.message", content("body", 1), null).block();
        RoomStore store = RoomStore.over(node1);
        JsonNode inviteJson = EventBuilder.parse(store.events().find(invite.value()).block().json(), RoomVersions.V12);
        JsonNode messageJson = EventBuilder.parse(store.events().find(message.value()).block().json(), RoomVersions.V12);
        assertThat(inviteJson.path("origin").stringValue(null)).as("invite_event.yaml requires origin")
                .isEqualTo(TestRooms.SERVER.value());
        assertThat(messageJson.has("origin")).isFalse();
    }

    @Test
    void eventsRejectedByTheAuthRulesShouldBe403AndLeaveNoTrace() {
        RoomEventService service = TestRooms.service(node1, 100, 4);
        LocalClientRoomApi api = TestRooms.api(node1, service);
        RoomId room = api.createRoom(ALICE, TestRooms.request(RoomVersions.V12)).block();
        long events = count("SELECT count(*) AS n FROM events WHERE room_id = '" + room.value() + "'");
        assertThatThrownBy(() -> api.send(UserId.parse("@mallory:test.local"), "D", room, "m.room.message",
                content("body", 1), null).block())
                .isInstanceOfSatisfying(MatrixException.class, e -> {
                    assertThat(e.status()).isEqualTo(403);
                    assertThat(e.getMessage()).contains("not joined");
                });
        assertThat(count("SELECT count(*) AS n FROM events WHERE room_id = '" + room.value() + "'"))
                .isEqualTo(events);
    }

    private void assertStateGroupOfLatestEventMatchesCurrentState(RoomId room) {
        RoomStore store = RoomStore.over(node1);
        String latest = node1.one(node1.sql("SELECT event_id FROM events WHERE room_id = :r "
                + "ORDER BY stream_ordering DESC LIMIT 1").bind("r", room.value()), r -> r.string("event_id")).block();
        long group = store.stateGroups().groupOfEvent(latest).block();
        Map<String, String> fromGroup = asMap(store.stateGroups().load(group).block());
        Map<String, String> current = asMap(store.currentState().list(room.value()).block());
        assertThat(fromGroup).isEqualTo(current);
    }

    private static Map<String, String> asMap(List<StateEntry> entries) {
        return entries.stream().collect(Collectors.toMap(e -> e.type() + "|" + e.stateKey(), StateEntry::eventId));
    }

    private static long count(String sql) {
        return node1.one(node1.sql(sql), r -> r.longValue("n")).block();
    }

    private static ObjectNode content(String field, int value) {
        return JsonNodeFactory.instance.objectNode().put(field, value);
    }
}
