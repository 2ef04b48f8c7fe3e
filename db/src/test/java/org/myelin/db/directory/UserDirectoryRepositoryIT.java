package org.myelin.db.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.myelin.db.directory.UserDirectoryRepository.UserDirectoryRow;
import org.myelin.db.support.Database;
import org.myelin.db.testing.MigratedDatabase;
import org.myelin.db.testing.RequiresPostgres;
import org.myelin.federation.protocol.search.DirectoryTerms;

/**
 * The V23 triggers and the directory searches on a real PostgreSQL, written as the room graph writes: remote
 * users enter through their join events (as over federation), their profile follows their latest join, local
 * users keep their own profile, deactivated users vanish, and {@code search_all_users} widens the search.
 */
@RequiresPostgres
class UserDirectoryRepositoryIT {

    private static final String ROOM = "!shared:test";

    private static Database db;
    private static UserDirectoryRepository shared;
    private static UserDirectoryRepository everyone;
    private static long stream = 1;

    @BeforeAll
    static void migrate() {
        db = MigratedDatabase.create("UserDirectoryRepositoryIT");
        shared = new UserDirectoryRepository(db, false);
        everyone = new UserDirectoryRepository(db, true);
        for (String user : List.of("@me:test", "@local:test", "@gone:test", "@alone:test")) {
            db.update(db.sql("INSERT INTO users (user_id, localpart, created_ts) VALUES (:u, :l, 0)").bind("u", user)
                    .bind("l", user.substring(1, user.indexOf(':')))).block();
            db.update(db.sql("INSERT INTO profiles (user_id, displayname) VALUES (:u, :d)").bind("u", user)
                    .bind("d", "Local " + user.substring(1, user.indexOf(':')))).block();
        }
        db.update(db.sql("INSERT INTO rooms (room_id, room_version, created_ts) VALUES (:r, '12', 0)")
                .bind("r", ROOM)).block();
        join("@me:test", "{\"membership\":\"join\"}");
        join("@local:test", "{\"membership\":\"join\",\"displayname\":\"Per-room name\"}");
        join("@gone:test", "{\"membership\":\"join\"}");
    }

    @Test
    void aRemoteUserShouldBeFoundUnderTheNameOfTheirLatestJoin() {
        join("@remote:elsewhere.example", "{\"membership\":\"join\",\"displayname\":\"Rémy Martin\","
                + "\"avatar_url\":\"mxc://elsewhere.example/a\"}");
        assertThat(shared.search("@me:test", DirectoryTerms.of("rém"), 10).block())
                .containsExactly(new UserDirectoryRow("@remote:elsewhere.example", "Rémy Martin",
                        "mxc://elsewhere.example/a"));
        join("@remote:elsewhere.example", "{\"membership\":\"join\",\"displayname\":\"Renamed Remote\"}");
        assertThat(shared.search("@me:test", DirectoryTerms.of("rémy"), 10).block()).isEmpty();
        assertThat(shared.search("@me:test", DirectoryTerms.of("renamed rem"), 10).block())
                .extracting(UserDirectoryRow::avatarUrl).containsExactly((String) null);
        assertThat(shared.search("@me:test", DirectoryTerms.of("elsewhere"), 10).block())
                .extracting(UserDirectoryRow::userId).containsExactly("@remote:elsewhere.example");
    }

    @Test
    void aLocalUserShouldKeepTheirProfileWhateverTheirMemberEventSays() {
        assertThat(shared.search("@me:test", DirectoryTerms.of("per-room"), 10).block()).isEmpty();
        assertThat(shared.search("@me:test", DirectoryTerms.of("local loc"), 1).block())
                .extracting(UserDirectoryRow::displayName).containsExactly("Local local");
    }

    @Test
    void deactivatedUsersShouldNeverBeFound() {
        db.update(db.sql("UPDATE users SET deactivated = TRUE WHERE user_id = '@gone:test'")).block();
        assertThat(shared.search("@me:test", DirectoryTerms.of("gone"), 10).block()).isEmpty();
        assertThat(everyone.search("@me:test", DirectoryTerms.of("gone"), 10).block()).isEmpty();
    }

    @Test
    void searchAllUsersShouldFindLocalUsersSharingNoRoomButNeverTheSearcher() {
        assertThat(shared.search("@me:test", DirectoryTerms.of("alone"), 10).block()).isEmpty();
        assertThat(everyone.search("@me:test", DirectoryTerms.of("alone"), 10).block())
                .extracting(UserDirectoryRow::userId).containsExactly("@alone:test");
        assertThat(everyone.search("@me:test", DirectoryTerms.of("me"), 10).block())
                .extracting(UserDirectoryRow::userId).doesNotContain("@me:test");
    }

    private static void join(String user, String content) {
        long position = stream++;
        String eventId = "$join" + position;
        db.update(db.sql("""
                INSERT INTO events (stream_ordering, event_id, room_id, type, state_key, sender, depth,
                                    topological_ordering, origin_server_ts, json)
                VALUES (:s, :e, :r, 'm.room.member', :u, :u, :s, :s, 0, :json)""").bind("s", position)
                .bind("e", eventId).bind("r", ROOM).bind("u", user)
                .bind("json", "{\"type\":\"m.room.member\",\"content\":" + content + "}")).block();
        db.update(db.sql("""
                INSERT INTO room_memberships (room_id, user_id, membership, event_id, stream_ordering)
                VALUES (:r, :u, 'join', :e, :s)
                ON CONFLICT (room_id, user_id) DO UPDATE SET event_id = EXCLUDED.event_id,
                    stream_ordering = EXCLUDED.stream_ordering""").bind("r", ROOM).bind("u", user)
                .bind("e", eventId).bind("s", position)).block();
    }
}
