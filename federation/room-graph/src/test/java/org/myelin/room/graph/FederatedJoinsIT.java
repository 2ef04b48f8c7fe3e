package org.myelin.room.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.myelin.db.support.Database;
import org.myelin.db.testing.RequiresPostgres;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.event.Pdu;
import org.myelin.federation.protocol.room.RoomVersion;
import org.myelin.federation.protocol.room.RoomVersions;

import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Storing a room joined through another server ({@link FederatedJoins#storeJoinedRoom}) with more state than one
 * batch of rows: every state event an outlier, the current state and the memberships written in batches, each
 * membership with its member event's stream ordering; and an answer whose state names one key twice refused.
 */
@RequiresPostgres
class FederatedJoinsIT {

    private static final RoomVersion V10 = RoomVersions.V10;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String CREATOR = "@creator:remote.example";
    private static final String JOINER = "@joiner:test.local";

    private static Database db;
    private final RemoteServer remote = new RemoteServer("remote.example");
    private final RemoteServer local = new RemoteServer("test.local");

    @BeforeAll
    static void migrate() {
        db = TestRooms.connect(TestRooms.migrated("FederatedJoinsIT"));
    }

    /** A public room of {@code members} joined members: its state, and the auth chain of its member joins. */
    private record Room(String roomId, List<Pdu> state, List<Pdu> authChain, Pdu join) {
    }

    private Room room(String roomId, int members) {
        List<Pdu> state = new ArrayList<>();
        Pdu create = remote.event(V10, roomId, CREATOR, "m.room.create", "", JSON.objectNode()
                .put("creator", CREATOR).put("room_version", "10"), List.of(), List.of(), 1);
        Pdu creatorJoin = remote.event(V10, roomId, CREATOR, "m.room.member", CREATOR,
                JSON.objectNode().put("membership", "join"), ids(create), ids(create), 2);
        ObjectNode levels = JSON.objectNode();
        levels.putObject("users").put(CREATOR, 100);
        Pdu power = remote.event(V10, roomId, CREATOR, "m.room.power_levels", "", levels, ids(creatorJoin),
                ids(create, creatorJoin), 3);
        Pdu rules = remote.event(V10, roomId, CREATOR, "m.room.join_rules", "",
                JSON.objectNode().put("join_rule", "public"), ids(power), ids(create, creatorJoin, power), 4);
        state.addAll(List.of(create, creatorJoin, power, rules));
        Pdu last = rules;
        for (int i = 0; i < members; i++) {
            String user = "@m" + i + ":remote.example";
            last = remote.event(V10, roomId, user, "m.room.member", user, JSON.objectNode().put("membership", "join"),
                    ids(last), ids(create, power, rules), last.depth() + 1);
            state.add(last);
        }
        Pdu join = local.event(V10, roomId, JOINER, "m.room.member", JOINER, JSON.objectNode().put("membership", "join"),
                ids(last), ids(create, power, rules), last.depth() + 1);
        return new Room(roomId, state, List.of(create, creatorJoin, power, rules), join);
    }

    private static List<String> ids(Pdu... events) {
        return Arrays.stream(events).map(p -> p.eventId().value()).toList();
    }

    private static long count(String sql, String roomId) {
        return db.one(db.sql(sql).bind("r", roomId), r -> r.longValue("n")).block();
    }

    @Test
    void aRoomOfMoreMembersThanABatchShouldBeStoredWholeWithEachMembershipAtItsEventsOrdering() {
        int members = Outliers.BATCH + 500;
        Room room = room("!big:remote.example", members);
        RoomEventService service = TestRooms.service(db, 100, 4);

        assertThat(service.joins().storeJoinedRoom(V10, room.join(), room.state(), room.authChain()).block())
                .isEqualTo(room.join().eventId());

        assertThat(count("SELECT count(*) AS n FROM events WHERE room_id = :r AND outlier", room.roomId()))
                .isEqualTo(room.state().size());
        assertThat(count("SELECT count(*) AS n FROM current_state WHERE room_id = :r", room.roomId()))
                .as("the state and the join").isEqualTo(room.state().size() + 1);
        assertThat(count("SELECT count(*) AS n FROM room_memberships WHERE room_id = :r AND membership = 'join'",
                room.roomId())).isEqualTo(members + 2);
        assertThat(count("""
                SELECT count(*) AS n FROM room_memberships m JOIN events e ON e.event_id = m.event_id
                WHERE m.room_id = :r AND m.stream_ordering <> e.stream_ordering""", room.roomId())).isZero();
        assertThat(count("SELECT count(*) AS n FROM event_auth_edges a JOIN events e ON e.event_id = a.event_id"
                + " WHERE e.room_id = :r", room.roomId())).as("every event's auth edges").isEqualTo(
                        room.state().stream().mapToLong(p -> p.authEvents().size()).sum()
                                + room.join().authEvents().size());
    }

    @Test
    void anAnswerWhoseStateHasTwoEventsForOneKeyShouldBeRefusedAndStoreNothing() {
        Room room = room("!twice:remote.example", 3);
        List<Pdu> state = new ArrayList<>(room.state());
        Pdu last = state.get(state.size() - 1);
        String user = last.stateKey().orElseThrow();
        state.add(remote.event(V10, room.roomId(), user, "m.room.member", user,
                JSON.objectNode().put("membership", "join").put("displayname", "again"), ids(last),
                last.authEvents().stream().map(e -> e.value()).toList(), last.depth() + 1));
        RoomEventService service = TestRooms.service(db, 100, 4);

        assertThatThrownBy(() -> service.joins().storeJoinedRoom(V10, room.join(), state, room.authChain()).block())
                .isInstanceOfSatisfying(MatrixException.class, e -> assertThat(e.errCode()).isEqualTo(ErrCode.M_BAD_JSON))
                .hasMessageContaining("two events for (m.room.member, " + user + ")");
        assertThat(count("SELECT count(*) AS n FROM events WHERE room_id = :r", room.roomId())).isZero();
        assertThat(count("SELECT count(*) AS n FROM rooms WHERE room_id = :r", room.roomId())).isZero();
    }
}
