package org.myelin.db.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.myelin.db.support.Database;
import org.myelin.db.testing.MigratedDatabase;
import org.myelin.db.testing.RequiresPostgres;

@RequiresPostgres
class EventRepositoryIT {

    private static Database db;
    private static RoomRepository rooms;
    private static EventRepository events;
    private static ForwardExtremityRepository extremities;

    @BeforeAll
    static void migrate() {
        db = MigratedDatabase.create("EventRepositoryIT");
        rooms = new RoomRepository(db);
        events = new EventRepository(db);
        extremities = new ForwardExtremityRepository(db);
    }

    @Test
    void roomInsertShouldRefuseAnExistingIdAndLockShouldFindOnlyKnownRooms() {
        assertThat(rooms.insert(new RoomRow("!r1:test", "12", "@a:test", false, 1L)).block()).isTrue();
        assertThat(rooms.insert(new RoomRow("!r1:test", "1", "@b:test", true, 2L)).block()).isFalse();
        assertThat(rooms.find("!r1:test").block().roomVersion()).isEqualTo("12");
        assertThat(rooms.lock("!r1:test").block().creator()).isEqualTo("@a:test");
        assertThat(rooms.lock("!nope:test").block()).isNull();
    }

    @Test
    void eventsShouldKeepTheirExactJsonAndEdgesAndPageInBothDirections() {
        rooms.insert(new RoomRow("!r2:test", "12", "@a:test", false, 1L)).block();
        String previous = null;
        for (int i = 1; i <= 5; i++) {
            long stream = events.nextStreamOrdering().block();
            String id = "$e" + i;
            String type = i % 2 == 0 ? "m.room.message" : "org.example.other";
            events.insert(new EventRow(stream, id, "!r2:test", type, null, i == 5 ? "@b:test" : "@a:test", i, i,
                    1000L + i, "{\"n\":" + i + ",\"x\":\"é\"}", i == 1 ? "txn" : null, i == 1 ? "DEV" : null),
                    previous == null ? List.of() : List.of(previous), List.of()).block();
            extremities.advance("!r2:test", previous == null ? List.of() : List.of(previous), id).block();
            previous = id;
        }
        EventRow first = events.find("$e1").block();
        assertThat(first.json()).isEqualTo("{\"n\":1,\"x\":\"é\"}");
        assertThat(first.txnId()).isEqualTo("txn");
        assertThat(extremities.list("!r2:test").block()).containsExactly("$e5");
        assertThat(events.findAll(List.of("$e2", "$e4", "$missing")).block()).extracting(EventRow::eventId)
                .containsExactlyInAnyOrder("$e2", "$e4");

        List<EventRow> back = events.page(query(true, Long.MAX_VALUE, Long.MAX_VALUE, 3, List.of(), List.of()))
                .block();
        assertThat(back).extracting(EventRow::eventId).containsExactly("$e5", "$e4", "$e3");
        EventRow last = back.get(2);
        assertThat(events.page(query(true, last.topologicalOrdering(), last.streamOrdering(), 10, List.of(),
                List.of())).block()).extracting(EventRow::eventId).containsExactly("$e2", "$e1");
        assertThat(events.page(query(false, 0, 0, 10, List.of("m.room.%"), List.of())).block())
                .extracting(EventRow::eventId).containsExactly("$e2", "$e4");
        assertThat(events.page(query(false, 0, 0, 10, List.of(), List.of("@b:test"))).block())
                .extracting(EventRow::eventId).containsExactly("$e1", "$e2", "$e3", "$e4");
        assertThat(events.latestAtOrBefore("!r2:test", 3, Long.MAX_VALUE).block().eventId()).isEqualTo("$e3");

        long s2 = events.find("$e2").block().streamOrdering();
        long s4 = events.find("$e4").block().streamOrdering();
        assertThat(events.page(bounded(true, PageBound.stream(s4), null, null)).block())
                .extracting(EventRow::eventId).containsExactly("$e4", "$e3", "$e2", "$e1");
        assertThat(events.page(bounded(false, PageBound.stream(s2), PageBound.stream(s4), null)).block())
                .extracting(EventRow::eventId).containsExactly("$e3", "$e4");
        assertThat(events.page(bounded(true, PageBound.stream(Long.MAX_VALUE), PageBound.stream(s2),
                new PageBound(4L, s4))).block()).extracting(EventRow::eventId).containsExactly("$e4", "$e3");
        assertThat(events.page(new EventPageQuery("!r2:test", false, new PageBound(0L, 0), null, null, 10, List.of(),
                List.of(), List.of(), List.of(), List.of("@a:test"))).block()).extracting(EventRow::eventId)
                .containsExactly("$e5");
    }

    private static EventPageQuery bounded(boolean backwards, PageBound from, PageBound to, PageBound until) {
        return new EventPageQuery("!r2:test", backwards, from, to, until, 10, List.of(), List.of(), List.of(),
                List.of(), List.of());
    }

    private static EventPageQuery query(boolean backwards, long topo, long stream, int limit, List<String> types,
            List<String> notSenders) {
        return new EventPageQuery("!r2:test", backwards, new PageBound(topo, stream), null, null, limit, types,
                List.of(), List.of(), notSenders, List.of());
    }

    @Test
    void outliersShouldBeInsertedManyAtATimeWithTheirEdgesAndAscendingOrderings() {
        rooms.insert(new RoomRow("!bulk:test", "10", "@a:test", false, 1L)).block();
        List<Long> orderings = events.nextStreamOrderings(3).block();
        assertThat(orderings).hasSize(3).isSorted().doesNotHaveDuplicates();
        assertThat(events.nextStreamOrderings(0).block()).isEmpty();
        List<NewEvent> batch = List.of(
                new NewEvent(new EventRow(orderings.get(0), "$bulk1", "!bulk:test", "m.room.create", "", "@a:test",
                        1, 1, 100L, "{\"n\":1}", null, null), List.of(), List.of()),
                new NewEvent(new EventRow(orderings.get(1), "$bulk2", "!bulk:test", "m.room.member", "@a:test",
                        "@a:test", 2, 2, 101L, "{\"content\":{\"m.relates_to\":{\"event_id\":\"$bulk1\","
                        + "\"rel_type\":\"m.reference\"}}}", null, null), List.of("$bulk1"), List.of("$bulk1")),
                new NewEvent(new EventRow(orderings.get(2), "$bulk3", "!bulk:test", "m.room.message", null,
                        "@b:test", 3, 3, 102L, "{\"x\":\"é\"}", null, null), List.of("$bulk2"),
                        List.of("$bulk1", "$bulk2")));
        events.insertOutliers(batch).block();

        assertThat(events.storedAmong(List.of("$bulk1", "$bulk3", "$nope")).block())
                .containsExactlyInAnyOrder("$bulk1", "$bulk3");
        for (String id : List.of("$bulk1", "$bulk2", "$bulk3")) {
            assertThat(events.status(id).block().outlier()).as(id).isTrue();
        }
        EventRow third = events.find("$bulk3").block();
        assertThat(third.stateKey()).isNull();
        assertThat(third.json()).isEqualTo("{\"x\":\"é\"}");
        assertThat(third.streamOrdering()).isEqualTo(orderings.get(2));
        assertThat(events.authChain(List.of("$bulk3")).block()).containsExactlyInAnyOrder("$bulk1", "$bulk2");
        assertThat(db.one(db.sql("SELECT relates_to_id, relation_type FROM events WHERE event_id = '$bulk2'"),
                r -> r.string("relates_to_id") + " " + r.string("relation_type")).block())
                .isEqualTo("$bulk1 m.reference");
        assertThat(db.many(db.sql("SELECT prev_event_id FROM event_edges WHERE event_id = '$bulk3'"),
                r -> r.string("prev_event_id")).block()).containsExactly("$bulk2");
    }

}
