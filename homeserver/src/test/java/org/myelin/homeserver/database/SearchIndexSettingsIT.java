package org.myelin.homeserver.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.myelin.db.testing.RequiresPostgres;
import org.myelin.db.testing.TestDatabase;
import org.myelin.homeserver.startup.StartupException;

/** myelin.search.text-search-config at start-up: a changed configuration re-indexes, an unknown one stops. */
@RequiresPostgres
class SearchIndexSettingsIT {

    @Test
    void aNewConfigurationShouldReindexEveryTextAndAnUnknownOneShouldStopStartUp() throws SQLException {
        TestDatabase.Db db = TestDatabase.fresh("SearchIndexSettingsIT");
        DatabaseCoordinates coordinates = new DatabaseCoordinates(db.host(), db.port(), db.database(), db.user(),
                db.password());
        SchemaMigrator.migrate(coordinates);
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
                Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO rooms (room_id, room_version, created_ts) VALUES ('!r:test', '12', 0)");
            s.executeUpdate("""
                    INSERT INTO events (stream_ordering, event_id, room_id, type, sender, depth, topological_ordering,
                                        origin_server_ts, json)
                    VALUES (1, '$e', '!r:test', 'm.room.message', '@a:test', 1, 1, 0,
                            '{"content":{"body":"The runners were running"}}')""");
            s.executeUpdate("""
                    INSERT INTO event_search (event_id, room_id, key, vector, origin_server_ts, stream_ordering)
                    VALUES ('$e', '!r:test', 'content.body', to_tsvector('english', 'The runners were running'), 0, 1)""");

            SearchIndexSettings.apply(coordinates, "english");
            assertThat(vector(s)).isEqualTo("'run':4 'runner':2");

            SearchIndexSettings.apply(coordinates, "Simple");
            assertThat(single(s, "SELECT text_search_config FROM event_search_settings")).isEqualTo("simple");
            assertThat(vector(s)).isEqualTo("'runners':2 'running':4 'the':1 'were':3");

            assertThatThrownBy(() -> SearchIndexSettings.apply(coordinates, "klingon"))
                    .isInstanceOf(StartupException.class).hasMessageContaining("klingon")
                    .hasMessageContaining("MYELIN_SEARCH_TEXT_SEARCH_CONFIG");
            assertThatThrownBy(() -> SearchIndexSettings.apply(coordinates, "a b;c"))
                    .isInstanceOf(StartupException.class).hasMessageContaining("MYELIN_SEARCH_TEXT_SEARCH_CONFIG");
            assertThat(single(s, "SELECT text_search_config FROM event_search_settings")).isEqualTo("simple");
        }
    }

    private static String vector(Statement s) throws SQLException {
        return single(s, "SELECT CAST(vector AS text) FROM event_search WHERE event_id = '$e'");
    }

    private static String single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }
}
