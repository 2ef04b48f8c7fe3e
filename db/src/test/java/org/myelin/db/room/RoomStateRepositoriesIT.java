package org.myelin.db.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.myelin.db.support.Database;
import org.myelin.db.testing.MigratedDatabase;
import org.myelin.db.testing.RequiresPostgres;

@RequiresPostgres
class RoomStateRepositoriesIT {

    private static Database db;
    private static StateGroupRepository groups;
    private static CurrentStateRepository currentState;
    private static MembershipRepository memberships;
    private static ClientTransactionRepository transactions;
    private static RoomAliasRepository aliases;

    @BeforeAll
    static void migrate() {
        db = MigratedDatabase.create("RoomStateRepositoriesIT");
        groups = new StateGroupRepository(db);
        currentState = new CurrentStateRepository(db);
        memberships = new MembershipRepository(db);
        transactions = new ClientTransactionRepository(db);
        aliases = new RoomAliasRepository(db);
    }

    @Test
    void aGroupShouldResolveThroughItsDeltaChainWithTheClosestEntryWinning() {
        long snapshot = groups.create("!s:test", null, 0, 2, List.of(new StateEntry("m.room.create", "", "$c"),
                new StateEntry("m.room.name", "", "$n1"))).block();
        long delta1 = groups.create("!s:test", snapshot, 1, 3, List.of(new StateEntry("m.room.member", "@a:t", "$m")))
                .block();
        long delta2 = groups.create("!s:test", delta1, 2, 3, List.of(new StateEntry("m.room.name", "", "$n2")))
                .block();
        assertThat(groups.load(delta2).block()).containsExactlyInAnyOrder(new StateEntry("m.room.create", "", "$c"),
                new StateEntry("m.room.name", "", "$n2"), new StateEntry("m.room.member", "@a:t", "$m"));
        assertThat(groups.load(delta1).block()).contains(new StateEntry("m.room.name", "", "$n1"));
        assertThat(groups.load(delta2, "m.room.member", List.of("@a:t", "@b:t")).block())
                .containsExactly(new StateEntry("m.room.member", "@a:t", "$m"));
        assertThat(groups.loadTypes(delta2, List.of("m.room.name")).block())
                .containsExactly(new StateEntry("m.room.name", "", "$n2"));
        StateGroupRow row = groups.find(delta2).block();
        assertThat(row.prevGroup()).isEqualTo(delta1);
        assertThat(row.chainLen()).isEqualTo(2);
        groups.mapEvent("$n2", delta2, delta1).block();
        assertThat(groups.groupOfEvent("$n2").block()).isEqualTo(delta2);
        assertThat(groups.groupOfEvent("$unknown").block()).isNull();
    }

    /**
     * On a table holding many rooms' state, reading one group's state goes through the primary key chain group by
     * chain group, never a sequential scan of every room's entries or groups, also in the generic plan a prepared
     * statement settles on.
     */
    @Test
    void readingAGroupShouldUseThePrimaryKeyNotAScanOfEveryRoomsState() {
        db.update(db.sql("""
                INSERT INTO state_groups (id, room_id, prev_group, chain_len)
                SELECT 1000000 + r, '!plan' || r || ':test', NULL, 0 FROM generate_series(1, 3000) r""")).block();
        db.update(db.sql("""
                INSERT INTO state_group_entries (state_group, type, state_key, event_id)
                SELECT 1000000 + r, 'm.room.t' || t, '', '$e' || r || '_' || t
                FROM generate_series(1, 3000) r, generate_series(1, 10) t""")).block();
        long delta = groups.create("!plan1:test", 1000001L, 1, 11,
                List.of(new StateEntry("m.room.member", "@a:t", "$m"))).block();
        db.update(db.sql("ANALYZE state_groups")).block();
        db.update(db.sql("ANALYZE state_group_entries")).block();

        for (String filter : List.of("", "WHERE e.type = 'm.room.t3'")) {
            List<String> plan = db.many(db.sql("EXPLAIN " + StateGroupSql.stateOf("group", filter))
                    .bind("group", delta), r -> r.string("QUERY PLAN")).block();
            assertThat(String.join("\n", plan)).as("plan for filter '%s'", filter)
                    .contains("state_group_entries_pkey").doesNotContain("Seq Scan on state_group_entries");
            assertThat(genericPlan("EXPLAIN " + StateGroupSql.stateOf("group", filter), "group", delta))
                    .as("generic plan for filter '%s'", filter)
                    .doesNotContain("Seq Scan on state_groups").doesNotContain("Seq Scan on state_group_entries");
            assertThat(genericPlan("EXPLAIN " + StateGroupSql.statesOf("groups", filter), "groups",
                    new Long[] {delta, 1000002L}))
                    .as("generic plan of several groups for filter '%s'", filter)
                    .doesNotContain("Seq Scan on state_groups").doesNotContain("Seq Scan on state_group_entries");
        }
        assertThat(groups.loadTypes(delta, List.of("m.room.t3")).block())
                .containsExactly(new StateEntry("m.room.t3", "", "$e1_3"));
        assertThat(groups.load(delta).block()).hasSize(11);
    }

    /**
     * The plan PostgreSQL uses for a prepared statement once it has run five times: planned without the values, so
     * an estimate of a hundred chain steps, not the value's one, decides it.
     */
    private String genericPlan(String explain, String param, Object value) {
        return db.inTransaction(db.update(db.sql("SET LOCAL plan_cache_mode = force_generic_plan"))
                .then(db.many(db.sql(explain).bind(param, value), r -> r.string("QUERY PLAN"))))
                .map(lines -> String.join("\n", lines)).block();
    }

    @Test
    void currentStateShouldKeepOneEventPerKey() {
        currentState.put("!cs:test", new StateEntry("m.room.topic", "", "$t1")).block();
        currentState.put("!cs:test", new StateEntry("m.room.topic", "", "$t2")).block();
        assertThat(currentState.list("!cs:test").block()).containsExactly(new StateEntry("m.room.topic", "", "$t2"));
    }

    @Test
    void membershipsShouldTrackTheLatestAndForgetOnlyLeftRooms() {
        memberships.put(new MembershipRow("!m:test", "@a:test", "join", "$j", 1, false)).block();
        assertThat(memberships.forget("!m:test", "@a:test").block()).isFalse();
        assertThat(memberships.roomsOf("@a:test", "join").block()).extracting(MembershipRow::roomId)
                .containsExactly("!m:test");
        memberships.put(new MembershipRow("!m:test", "@a:test", "leave", "$l", 2, false)).block();
        assertThat(memberships.forget("!m:test", "@a:test").block()).isTrue();
        assertThat(memberships.find("!m:test", "@a:test").block().forgotten()).isTrue();
        memberships.put(new MembershipRow("!m:test", "@a:test", "join", "$j2", 3, false)).block();
        assertThat(memberships.find("!m:test", "@a:test").block().forgotten()).isFalse();
        assertThat(memberships.members("!m:test").block()).hasSize(1);
    }

    @Test
    void joinedServersShouldCountOnlyJoinedMembersMostFirstWithPortsKept() {
        String room = "!servers:test";
        List.of("@a:big.test", "@b:big.test", "@c:big.test", "@d:port.test:8448", "@e:port.test:8448",
                "@f:alpha.test").forEach(user -> memberships.put(new MembershipRow(room, user, "join", "$" + user, 1,
                        false)).block());
        memberships.put(new MembershipRow(room, "@g:alpha.test", "leave", "$g", 2, false)).block();
        memberships.put(new MembershipRow(room, "@h:invited.test", "invite", "$h", 3, false)).block();
        assertThat(memberships.joinedServers(room).block())
                .containsExactly("big.test", "port.test:8448", "alpha.test");
        assertThat(memberships.joinedServers("!empty:test").block()).isEmpty();
    }

    @Test
    void aTransactionShouldKeepItsFirstResponse() {
        assertThat(transactions.insert("@a:test", "D", "/p", "t1", "{\"event_id\":\"$1\"}", 1).block()).isTrue();
        assertThat(transactions.insert("@a:test", "D", "/p", "t1", "{\"event_id\":\"$2\"}", 2).block()).isFalse();
        assertThat(transactions.find("@a:test", "D", "/p", "t1").block()).contains("$1");
        assertThat(transactions.find("@a:test", "D2", "/p", "t1").block()).isNull();
    }

    @Test
    void anAliasShouldPointAtOneRoomOnly() {
        assertThat(aliases.create("#a:test", "!x:test", "@a:test").block()).isTrue();
        assertThat(aliases.create("#a:test", "!y:test", "@a:test").block()).isFalse();
        assertThat(aliases.resolve("#a:test").block()).isEqualTo("!x:test");
        assertThat(aliases.resolve("#b:test").block()).isNull();
    }

    @Test
    void aJoinedRoomsStateShouldBecomeCurrentStateAndMembershipsInOneStatementEach() {
        db.update(db.sql("INSERT INTO rooms (room_id, room_version, created_ts) VALUES ('!big:test', '10', 0)"))
                .block();
        db.update(db.sql("""
                INSERT INTO events (stream_ordering, event_id, room_id, type, state_key, sender, depth,
                    topological_ordering, origin_server_ts, json, outlier)
                VALUES (900001, '$bj1', '!big:test', 'm.room.member', '@x:one', '@x:one', 1, 1, 0, '{}', TRUE),
                       (900002, '$bj2', '!big:test', 'm.room.member', '@y:two', '@y:two', 2, 2, 0, '{}', TRUE)"""))
                .block();
        currentState.putAll("!big:test", List.of(new StateEntry("m.room.member", "@x:one", "$bj1"),
                new StateEntry("m.room.member", "@y:two", "$bj2"), new StateEntry("m.room.create", "", "$c"))).block();
        currentState.putAll("!big:test", List.of(new StateEntry("m.room.create", "", "$c2"))).block();
        assertThat(currentState.list("!big:test").block()).containsExactlyInAnyOrder(
                new StateEntry("m.room.member", "@x:one", "$bj1"), new StateEntry("m.room.member", "@y:two", "$bj2"),
                new StateEntry("m.room.create", "", "$c2"));

        memberships.put(new MembershipRow("!big:test", "@y:two", "leave", "$old", 5L, false)).block();
        memberships.forget("!big:test", "@y:two").block();
        memberships.putAllFromEvents("!big:test", List.of(new MemberEvent("@x:one", "join", "$bj1"),
                new MemberEvent("@y:two", "join", "$bj2"))).block();
        MembershipRow y = memberships.find("!big:test", "@y:two").block();
        assertThat(y.membership()).isEqualTo("join");
        assertThat(y.eventId()).isEqualTo("$bj2");
        assertThat(y.streamOrdering()).as("the member event's ordering").isEqualTo(900002L);
        assertThat(y.forgotten()).isFalse();
        assertThat(memberships.find("!big:test", "@x:one").block().streamOrdering()).isEqualTo(900001L);
        assertThat(memberships.joinedServers("!big:test").block()).containsExactlyInAnyOrder("one", "two");
    }

}
