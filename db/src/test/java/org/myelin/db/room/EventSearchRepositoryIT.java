package org.myelin.db.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.myelin.db.support.Database;
import org.myelin.db.testing.MigratedDatabase;
import org.myelin.db.testing.RequiresPostgres;
import org.myelin.federation.protocol.search.SearchToken;

/**
 * The event search index on a real PostgreSQL: what gets indexed where events are stored (accepted events only),
 * redactions, the searcher's rooms, keyset paging in both orders, highlights, and a query plan that probes the
 * GIN index.
 */
@RequiresPostgres
class EventSearchRepositoryIT {

    private static final String ROOM = "!search:test";
    private static final String OTHER_ROOM = "!elsewhere:test";
    private static final String ALICE = "@alice:test";

    private static Database db;
    private static EventRepository events;
    private static EventSearchRepository search;
    private static RedactionRepository redactions;

    @BeforeAll
    static void migrate() {
        db = MigratedDatabase.create("EventSearchRepositoryIT");
        events = new EventRepository(db);
        search = new EventSearchRepository(db);
        redactions = new RedactionRepository(db);
        RoomRepository rooms = new RoomRepository(db);
        MembershipRepository memberships = new MembershipRepository(db);
        for (String room : List.of(ROOM, OTHER_ROOM)) {
            rooms.insert(new RoomRow(room, "12", ALICE, false, 1L)).block();
        }
        memberships.put(new MembershipRow(ROOM, ALICE, "join", "$member", 1, false)).block();
    }

    @Test
    void onlyAcceptedEventsOfTheSearchersRoomsShouldMatch() {
        insert("$accepted", ROOM, "m.room.message", "body", "Martians landed", 10, EventStatus.ACCEPTED);
        insert("$rejected", ROOM, "m.room.message", "body", "Martians rejected", 11, EventStatus.rejected("auth"));
        insert("$soft", ROOM, "m.room.message", "body", "Martians soft", 12, EventStatus.softFail());
        insert("$outlier", ROOM, "m.room.message", "body", "Martians outlier", 13, EventStatus.OUTLIER);
        insert("$other", OTHER_ROOM, "m.room.message", "body", "Martians elsewhere", 14, EventStatus.ACCEPTED);
        insert("$name", ROOM, "m.room.name", "name", "Martian embassy", 15, EventStatus.ACCEPTED);
        insert("$member", ROOM, "m.room.member", "displayname", "Martian", 16, EventStatus.ACCEPTED);

        assertThat(ids(query("martians", List.of("content.body", "content.name", "content.topic"), true, null)))
                .containsExactlyInAnyOrder("$accepted", "$name");
        assertThat(ids(query("martians", List.of("content.body"), true, null))).containsExactly("$accepted");
        assertThat(search.count(query("martian", List.of("content.name"), true, null)).block()).isEqualTo(1);
        assertThat(search.highlights("martians", List.of("$accepted", "$name")).block())
                .containsExactlyInAnyOrder("Martians", "Martian");

        redactions.markRedacted(ROOM, "$accepted", "$redaction").block();
        assertThat(ids(query("landed", List.of("content.body"), true, null))).isEmpty();
    }

    @Test
    void pagesShouldFollowEachOther() {
        for (int i = 0; i < 5; i++) {
            insert("$page" + i, ROOM, "m.room.message", "body", "paging " + "words ".repeat(i) + "paging", 100 + i,
                    EventStatus.ACCEPTED);
        }
        List<SearchCandidate> recent = search.search(query("paging", List.of("content.body"), false, null)).block();
        assertThat(recent).extracting(c -> c.event().eventId())
                .containsExactly("$page4", "$page3", "$page2", "$page1", "$page0");

        EventSearchQuery firstTwo = limit(query("paging", List.of("content.body"), true, null), 2);
        List<SearchCandidate> page1 = search.search(firstTwo).block();
        List<SearchCandidate> page2 = search.search(firstTwo.continuingAfter(page1.get(1).position())).block();
        List<SearchCandidate> rest = search.search(limit(firstTwo.continuingAfter(page2.get(1).position()), 10))
                .block();
        assertThat(page1.get(0).rank()).isGreaterThanOrEqualTo(page1.get(1).rank());
        assertThat(List.of(page1, page2, rest).stream().flatMap(List::stream).map(c -> c.event().eventId()))
                .containsExactlyInAnyOrder("$page0", "$page1", "$page2", "$page3", "$page4");
        assertThat(rest).hasSize(1);
        assertThat(rest.get(0).rank()).isLessThanOrEqualTo(page2.get(1).rank());
    }

    @Test
    void theSearchShouldProbeTheGinIndex() {
        db.update(db.sql("""
                INSERT INTO events (stream_ordering, event_id, room_id, type, sender, depth, topological_ordering,
                                    origin_server_ts, json)
                SELECT 100000 + n, '$filler' || n, :room, 'm.room.message', :sender, n, n, n,
                       '{"content":{"body":"filler text number ' || n || '"}}'
                FROM generate_series(1, 5000) n""").bind("room", ROOM).bind("sender", ALICE)).block();
        db.update(db.sql("""
                INSERT INTO event_search (event_id, room_id, key, vector, origin_server_ts, stream_ordering)
                SELECT event_id, room_id, 'content.body', to_tsvector('english', CAST(json AS JSONB) #>> '{content,body}'),
                       origin_server_ts, stream_ordering FROM events WHERE event_id LIKE '$filler%'""")).block();
        db.update(db.sql("ANALYZE event_search")).block();
        db.update(db.sql("ANALYZE events")).block();

        List<String> plan = search.plan(query("zebra", List.of("content.body"), true, null)).block();
        assertThat(String.join("\n", plan)).contains("event_search_vector");
    }

    private static void insert(String id, String room, String type, String field, String text, long ts,
            EventStatus status) {
        long stream = events.nextStreamOrdering().block();
        String stateKey = type.equals("m.room.message") ? null : "";
        String json = "{\"content\":{\"" + field + "\":\"" + text + "\"},\"type\":\"" + type + "\"}";
        events.insert(new EventRow(stream, id, room, type, stateKey, ALICE, 1, 1, ts, json, null, null), List.of(),
                List.of(), status).block();
    }

    private static EventSearchQuery query(String term, List<String> keys, boolean byRank, SearchToken after) {
        return new EventSearchQuery(ALICE, term, keys, null, List.of(), List.of(), List.of(), null, List.of(),
                byRank, after, 50);
    }

    private static EventSearchQuery limit(EventSearchQuery q, int limit) {
        return new EventSearchQuery(q.userId(), q.term(), q.keys(), q.rooms(), q.notRooms(), q.types(), q.notTypes(),
                q.senders(), q.notSenders(), q.byRank(), q.after(), limit);
    }

    private static List<String> ids(EventSearchQuery q) {
        return search.search(q).block().stream().map(c -> c.event().eventId()).toList();
    }
}
