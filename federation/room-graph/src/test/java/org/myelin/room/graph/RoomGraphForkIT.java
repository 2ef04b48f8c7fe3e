package org.myelin.room.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.myelin.db.room.StateEntry;
import org.myelin.db.support.Database;
import org.myelin.db.testing.RequiresPostgres;
import org.myelin.db.testing.TestDatabase;
import org.myelin.federation.protocol.auth.EventAcceptance.Outcome;
import org.myelin.federation.protocol.auth.Membership;
import org.myelin.federation.protocol.event.Pdu;
import org.myelin.federation.protocol.id.EventId;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.federation.protocol.room.RoomVersion;
import org.myelin.federation.protocol.room.RoomVersions;
import org.myelin.room.api.CreateRoomRequest;
import org.myelin.room.api.MembershipChange;
import org.myelin.room.api.RoomPreset;
import org.myelin.room.api.StateContent;

import reactor.core.publisher.Flux;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The room graph once another server adds events to it: forks and their merge, state resolution into the current
 * state, and the three fates of a remote event (accepted, rejected, soft-failed), each built as a small DAG.
 */
@RequiresPostgres
class RoomGraphForkIT {

    private static final RoomVersion V11 = RoomVersions.V11;
    private static final UserId ALICE = UserId.parse("@alice:test.local");
    private static final String BOB = "@bob:remote.example";
    private static final String CAROL = "@carol:remote.example";
    private static final String ERIN = "@erin:remote.example";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private static Database db;
    private final RemoteServer remote = new RemoteServer("remote.example");
    private RoomEventService service;
    private LocalClientRoomApi api;
    private RoomId room;

    @BeforeAll
    static void migrate() {
        TestDatabase.Db database = TestRooms.migrated("RoomGraphForkIT");
        db = TestRooms.connect(database);
    }

    @BeforeEach
    void publicRoom() {
        service = TestRooms.service(db, 100, 4);
        api = TestRooms.api(db, service);
        room = api.createRoom(ALICE, new CreateRoomRequest(V11, RoomPreset.PUBLIC_CHAT, false, null, null, null,
                List.of(), List.of(), null, null, false)).block();
    }

    @Test
    void aRemoteJoinShouldBeAcceptedAndChangeTheCurrentState() {
        String join = acceptBobJoin();
        assertThat(extremities()).containsExactly(join);
        assertThat(currentState()).containsEntry("m.room.member|" + BOB, join);
        assertThat(db.one(db.sql("SELECT membership FROM room_memberships WHERE room_id = :r AND user_id = :u")
                .bind("r", room.value()).bind("u", BOB), r -> r.string("membership")).block()).isEqualTo("join");
        assertThat(latestStateChangeMatchesCurrentState()).isTrue();
    }

    @Test
    void aForkShouldBeResolvedIntoTheCurrentStateAndMergedByTheNextLocalEvent() {
        String join = acceptBobJoin();
        String name = api.sendState(ALICE, "DEV", room, new StateContent("m.room.name", "",
                JSON.objectNode().put("name", "Alice's name"))).block().value();
        // Bob has not seen the name yet: his new display name follows his join, not the name.
        Pdu rename = remote.event(V11, room.value(), BOB, Membership.TYPE, BOB,
                JSON.objectNode().put("membership", "join").put("displayname", "Bobby"), List.of(join),
                authForMember(join), depthOf(join) + 1);
        assertThat(service.accept(rename, false).block()).isEqualTo(Outcome.ACCEPTED);

        assertThat(extremities()).containsExactlyInAnyOrder(name, rename.eventId().value());
        assertThat(currentState()).containsEntry("m.room.name|", name)
                .containsEntry("m.room.member|" + BOB, rename.eventId().value());
        assertThat(latestStateChangeMatchesCurrentState()).isTrue();

        EventId merge = api.send(ALICE, "DEV", room, "m.room.message", JSON.objectNode().put("body", "merged"),
                null).block();
        assertThat(prevEventsOf(merge.value())).containsExactlyInAnyOrder(name, rename.eventId().value());
        assertThat(extremities()).containsExactly(merge.value());
        Map<String, String> before = stateOfGroup(groupBefore(merge.value()));
        assertThat(before).containsEntry("m.room.name|", name)
                .containsEntry("m.room.member|" + BOB, rename.eventId().value());
    }

    @Test
    void concurrentForksShouldAllReachTheCurrentStateWhateverTheOrderUnderTheLock() {
        String bobJoin = acceptBobJoin();
        Pdu erinJoin = remote.event(V11, room.value(), ERIN, Membership.TYPE, ERIN, JSON.objectNode()
                .put("membership", "join"), List.of(bobJoin), List.of(createId(), powerLevelsId(),
                        stateId("m.room.join_rules", "")), depthOf(bobJoin) + 1);
        assertThat(service.accept(erinJoin, false).block()).isEqualTo(Outcome.ACCEPTED);
        String fork = erinJoin.eventId().value();
        List<Pdu> renames = List.of(
                remote.event(V11, room.value(), BOB, Membership.TYPE, BOB, JSON.objectNode()
                        .put("membership", "join").put("displayname", "B"), List.of(fork),
                        authForMember(bobJoin), depthOf(fork) + 1),
                remote.event(V11, room.value(), ERIN, Membership.TYPE, ERIN, JSON.objectNode()
                        .put("membership", "join").put("displayname", "E"), List.of(fork),
                        authForMember(fork), depthOf(fork) + 1));
        // Both resolve their projected current state before the lock; the second under it finds the first's
        // extremity and resolves again.
        List<Outcome> outcomes = Flux.fromIterable(renames)
                .flatMap(pdu -> service.accept(pdu, false), 2).collectList().block();
        assertThat(outcomes).containsOnly(Outcome.ACCEPTED);
        assertThat(extremities()).containsExactlyInAnyOrder(renames.get(0).eventId().value(),
                renames.get(1).eventId().value());
        assertThat(currentState()).containsEntry("m.room.member|" + BOB, renames.get(0).eventId().value())
                .containsEntry("m.room.member|" + ERIN, renames.get(1).eventId().value());
        assertThat(latestStateChangeMatchesCurrentState()).isTrue();
    }

    @Test
    void anEventItsAuthEventsDoNotAllowShouldBeRejectedAndTouchNothing() {
        String last = extremities().get(0);
        Map<String, String> stateBefore = currentState();
        // Carol never joined, yet claims to speak in the room.
        Pdu message = remote.event(V11, room.value(), CAROL, "m.room.message", null, JSON.objectNode().put("body",
                "let me in"), List.of(last), List.of(createId(), powerLevelsId()), depthOf(last) + 1);
        assertThat(service.accept(message, false).block()).isEqualTo(Outcome.REJECTED);

        assertThat(extremities()).containsExactly(last);
        assertThat(currentState()).isEqualTo(stateBefore);
        assertThat(column(message, "rejected_reason")).contains("auth events");
        assertThat(timeline()).doesNotContain(message.eventId().value());
        assertThat(service.accept(message, false).block()).as("stored outcome kept").isEqualTo(Outcome.REJECTED);
    }

    @Test
    void anEventOnlyTheCurrentStateRefusesShouldBeSoftFailed() {
        String join = acceptBobJoin();
        api.changeMembership(new MembershipChange(room, ALICE, UserId.parse(BOB), Membership.BAN, "spam", false))
                .block();
        String ban = currentState().get("m.room.member|" + BOB);
        // Bob writes as if he had not seen the ban: allowed by the state before it, refused by the current state.
        Pdu message = remote.event(V11, room.value(), BOB, "m.room.message", null, JSON.objectNode().put("body",
                "you cannot ban me"), List.of(join), List.of(createId(), powerLevelsId(), join), depthOf(join) + 1);
        assertThat(service.accept(message, false).block()).isEqualTo(Outcome.SOFT_FAILED);

        assertThat(column(message, "soft_failed")).isEqualTo("true");
        assertThat(extremities()).containsExactly(ban);
        assertThat(currentState()).containsEntry("m.room.member|" + BOB, ban);
        assertThat(timeline()).doesNotContain(message.eventId().value());
    }

    @Test
    void anEventTheStateBeforeItRefusesShouldBeRejectedThoughItsAuthEventsAllowIt() {
        String join = acceptBobJoin();
        Pdu leave = remote.event(V11, room.value(), BOB, Membership.TYPE, BOB, JSON.objectNode()
                .put("membership", "leave"), List.of(join), List.of(createId(), powerLevelsId(), join),
                depthOf(join) + 1);
        assertThat(service.accept(leave, false).block()).isEqualTo(Outcome.ACCEPTED);
        String left = leave.eventId().value();
        // It follows the only extremity, so only the keys its checks need are read of the state before it; Bob's
        // own membership is one of them, and it is "leave" there though his cited join would allow the message.
        Pdu message = remote.event(V11, room.value(), BOB, "m.room.message", null, JSON.objectNode().put("body",
                "still here"), List.of(left), List.of(createId(), powerLevelsId(), join), depthOf(left) + 1);
        assertThat(service.accept(message, false).block()).isEqualTo(Outcome.REJECTED);

        assertThat(column(message, "rejected_reason")).startsWith("state before");
        assertThat(extremities()).containsExactly(left);
        assertThat(currentState()).containsEntry("m.room.member|" + BOB, left);
        assertThat(timeline()).doesNotContain(message.eventId().value());
    }

    @Test
    void backfilledHistoryShouldBeOrderedBelowZeroAndLeaveTheLiveGraphAlone() {
        String join = acceptBobJoin();
        Pdu old = remote.event(V11, room.value(), BOB, "m.room.message", null, JSON.objectNode().put("body", "old"),
                List.of(join), List.of(createId(), powerLevelsId(), join), depthOf(join) + 1);
        assertThat(service.accept(old, true).block()).isEqualTo(Outcome.ACCEPTED);

        assertThat(Long.parseLong(column(old, "stream_ordering"))).isNegative();
        assertThat(extremities()).containsExactly(join);
    }

    @Test
    void anEventWithUnknownPrevOrAuthEventsShouldAskForThem() {
        String unknownPrev = "$" + "p".repeat(43);
        String unknownAuth = "$" + "a".repeat(43);
        Pdu orphan = remote.event(V11, room.value(), BOB, "m.room.message", null, JSON.objectNode(),
                List.of(unknownPrev), List.of(createId(), unknownAuth), 5);
        assertThatThrownBy(() -> service.accept(orphan, false).block()).isInstanceOfSatisfying(
                MissingEventsException.class, e -> assertThat(e.eventIds())
                        .containsExactlyInAnyOrder(unknownPrev, unknownAuth));
        assertThat(column(orphan, "event_id")).isNull();
    }

    private String acceptBobJoin() {
        String last = extremities().get(0);
        Pdu join = remote.event(V11, room.value(), BOB, Membership.TYPE, BOB, JSON.objectNode().put("membership",
                "join"), List.of(last), List.of(createId(), powerLevelsId(), stateId("m.room.join_rules", "")),
                depthOf(last) + 1);
        assertThat(service.accept(join, false).block()).isEqualTo(Outcome.ACCEPTED);
        return join.eventId().value();
    }

    private List<String> authForMember(String memberEvent) {
        return List.of(createId(), powerLevelsId(), stateId("m.room.join_rules", ""), memberEvent);
    }

    private String createId() {
        return stateId("m.room.create", "");
    }

    private String powerLevelsId() {
        return stateId("m.room.power_levels", "");
    }

    private String stateId(String type, String stateKey) {
        return currentState().get(type + "|" + stateKey);
    }

    private List<String> extremities() {
        return db.many(db.sql("SELECT event_id FROM forward_extremities WHERE room_id = :r").bind("r", room.value()),
                r -> r.string("event_id")).block();
    }

    private Map<String, String> currentState() {
        return asMap(RoomStore.over(db).currentState().list(room.value()).block());
    }

    private boolean latestStateChangeMatchesCurrentState() {
        long group = RoomStore.over(db).stateChanges().current(room.value()).block();
        return stateOfGroup(group).equals(currentState());
    }

    private Map<String, String> stateOfGroup(long group) {
        return asMap(RoomStore.over(db).stateGroups().load(group).block());
    }

    private long groupBefore(String eventId) {
        return db.one(db.sql("SELECT before_group FROM event_state_groups WHERE event_id = :e").bind("e", eventId),
                r -> r.longValue("before_group")).block();
    }

    private List<String> prevEventsOf(String eventId) {
        return db.many(db.sql("SELECT prev_event_id FROM event_edges WHERE event_id = :e").bind("e", eventId),
                r -> r.string("prev_event_id")).block();
    }

    private long depthOf(String eventId) {
        return db.one(db.sql("SELECT depth FROM events WHERE event_id = :e").bind("e", eventId),
                r -> r.longValue("depth")).block();
    }

    /** The event IDs /messages would show, oldest first. */
    private List<String> timeline() {
        return db.many(db.sql("SELECT event_id FROM events WHERE room_id = :r AND NOT outlier AND NOT soft_failed"
                + " AND rejected_reason IS NULL ORDER BY topological_ordering, stream_ordering").bind("r",
                        room.value()), r -> r.string("event_id")).block();
    }

    private String column(Pdu pdu, String column) {
        return db.one(db.sql("SELECT CAST(" + column + " AS TEXT) AS v FROM events WHERE event_id = :e")
                .bind("e", pdu.eventId().value()), r -> r.string("v")).block();
    }

    private static Map<String, String> asMap(List<StateEntry> entries) {
        return entries.stream().collect(Collectors.toMap(e -> e.type() + "|" + e.stateKey(), StateEntry::eventId));
    }
}
