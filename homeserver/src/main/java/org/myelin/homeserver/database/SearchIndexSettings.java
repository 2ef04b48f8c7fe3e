package org.myelin.homeserver.database;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.myelin.homeserver.startup.StartupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code myelin.search.text-search-config} to the event search index at start-up, over JDBC right after
 * the migrations (before any event can be stored): the name must be a text search configuration PostgreSQL knows
 * ({@code simple}, {@code english}, {@code german}, ... or one created in the database), else start-up stops.
 * When it differs from the one the index was built with, every indexed text is indexed again with the new one in
 * the same transaction, so searches never mix two configurations. All nodes of one database must agree on it.
 */
public final class SearchIndexSettings {

    private static final Logger LOG = LoggerFactory.getLogger(SearchIndexSettings.class);

    private static final String NORMALISE = "SELECT CAST(CAST(? AS regconfig) AS text)";
    private static final String CHANGE = """
            UPDATE event_search_settings SET text_search_config = ? WHERE text_search_config <> ?""";
    private static final String REINDEX = """
            UPDATE event_search s SET vector = to_tsvector(CAST(? AS regconfig),
                CAST(e.json AS JSONB) #>> string_to_array(s.key, '.'))
            FROM events e WHERE e.event_id = s.event_id""";

    private SearchIndexSettings() {
    }

    public static void apply(DatabaseCoordinates db, String textSearchConfig) {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
            String config = normalise(c, textSearchConfig);
            c.setAutoCommit(false);
            try (PreparedStatement change = c.prepareStatement(CHANGE)) {
                change.setString(1, config);
                change.setString(2, config);
                if (change.executeUpdate() > 0) {
                    try (PreparedStatement reindex = c.prepareStatement(REINDEX)) {
                        reindex.setString(1, config);
                        LOG.info("Search index rebuilt with text search configuration {} ({} events)", config,
                                reindex.executeUpdate());
                    }
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new StartupException("cannot prepare the search index at " + db.describe() + ": "
                    + DatabaseServer.rootMessage(e));
        }
    }

    private static String normalise(Connection c, String name) throws SQLException {
        try (PreparedStatement normalise = c.prepareStatement(NORMALISE)) {
            normalise.setString(1, name);
            try (ResultSet rs = normalise.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        } catch (SQLException e) {
            if ("42704".equals(e.getSQLState()) || "42602".equals(e.getSQLState())) {
                throw new StartupException("myelin.search.text-search-config (MYELIN_SEARCH_TEXT_SEARCH_CONFIG) names"
                        + " no PostgreSQL text search configuration: " + name);
            }
            throw e;
        }
    }
}
