package org.myelin.db.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.myelin.db.testing.RequiresPostgres;
import org.myelin.db.testing.TestDatabase;

/**
 * The events position /sync hands out never passes an event still being written, even when transactions commit
 * out of stream order (V5 migration). Two real transactions on two connections reproduce the race.
 */
@RequiresPostgres
class EventsPositionIT {

    private static TestDatabase.Db db;

    @BeforeAll
    static void migrate() throws SQLException {
        db = TestDatabase.fresh("EventsPositionIT");
        Flyway.configure().dataSource(db.jdbcUrl(), db.user(), db.password()).locations("classpath:db/migration")
                .load().migrate();
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO rooms (room_id, room_version, created_ts) VALUES ('!r:test', '12', 0)");
        }
    }

    @Test
    void positionShouldStayBelowAnOrderingThatCommitsAfterAHigherOne() throws SQLException {
        try (Connection slow = connect(); Connection fast = connect(); Connection reader = connect()) {
            slow.setAutoCommit(false);
            fast.setAutoCommit(false);
            long early = nextOrdering(slow);
            long late = nextOrdering(fast);
            insertEvent(fast, late);
            fast.commit();

            assertThat(late).isGreaterThan(early);
            assertThat(position(reader)).as("the event written first is still in flight").isLessThan(early);

            insertEvent(slow, early);
            slow.commit();
            assertThat(position(reader)).isEqualTo(late);
        }
    }

    @Test
    void aRolledBackOrderingShouldNotHoldThePositionBack() throws SQLException {
        try (Connection aborted = connect(); Connection writer = connect(); Connection reader = connect()) {
            aborted.setAutoCommit(false);
            writer.setAutoCommit(false);
            long lost = nextOrdering(aborted);
            long kept = nextOrdering(writer);
            insertEvent(writer, kept);
            writer.commit();
            assertThat(position(reader)).isLessThan(lost);

            aborted.rollback();
            assertThat(position(reader)).isEqualTo(kept);
        }
    }

    @Test
    void aClosedConnectionShouldReleaseItsOrdering() throws SQLException {
        long kept;
        try (Connection reader = connect()) {
            try (Connection dying = connect(); Connection writer = connect()) {
                dying.setAutoCommit(false);
                writer.setAutoCommit(false);
                nextOrdering(dying);
                kept = nextOrdering(writer);
                insertEvent(writer, kept);
                writer.commit();
            }
            assertThat(positionOnceSettled(reader, kept)).isEqualTo(kept);
        }
    }

    /**
     * The position, re-read for up to 5 s until it reaches {@code expected}: closing a connection returns before
     * its backend has exited and released its locks.
     */
    private static long positionOnceSettled(Connection reader, long expected) throws SQLException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        long position = position(reader);
        while (position != expected && System.nanoTime() < deadline) {
            LockSupport.parkNanos(20_000_000L);
            position = position(reader);
        }
        return position;
    }

    @Test
    void anOrderingInFlightInAnotherDatabaseShouldNotHoldThisOneBack() throws SQLException {
        TestDatabase.Db other = TestDatabase.fresh("EventsPositionOther");
        Flyway.configure().dataSource(other.jdbcUrl(), other.user(), other.password())
                .locations("classpath:db/migration").load().migrate();
        try (Connection elsewhere = DriverManager.getConnection(other.jdbcUrl(), other.user(), other.password());
                Connection writer = connect(); Connection reader = connect()) {
            elsewhere.setAutoCommit(false);
            nextOrdering(elsewhere);
            writer.setAutoCommit(false);
            long kept = nextOrdering(writer);
            insertEvent(writer, kept);
            writer.commit();

            assertThat(position(reader)).isEqualTo(kept);
            elsewhere.rollback();
        }
    }

    @Test
    void aBatchOfOrderingsShouldHoldThePositionBelowItsLowestUntilItCommits() throws SQLException {
        try (Connection bulk = connect(); Connection fast = connect(); Connection reader = connect()) {
            bulk.setAutoCommit(false);
            fast.setAutoCommit(false);
            List<Long> batch = new ArrayList<>();
            try (Statement st = bulk.createStatement();
                    ResultSet rs = st.executeQuery("SELECT myelin_next_stream_orderings(500)")) {
                while (rs.next()) {
                    batch.add(rs.getLong(1));
                }
            }
            assertThat(batch).hasSize(500).isSorted();
            assertThat(registeredOrderings(reader)).as("one lock for the whole batch").isEqualTo(1);
            long late = nextOrdering(fast);
            insertEvent(fast, late);
            fast.commit();
            assertThat(position(reader)).isLessThan(batch.get(0));

            for (long ordering : batch) {
                insertEvent(bulk, ordering);
            }
            bulk.commit();
            assertThat(position(reader)).isEqualTo(Math.max(late, batch.get(batch.size() - 1)));
        }
    }

    /** How many stream orderings of this database are registered in flight. */
    private static long registeredOrderings(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_locks"
                + " WHERE locktype = 'advisory' AND objsubid = 1 AND (classid::bigint >> 16) = 19801"
                + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long nextOrdering(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT myelin_next_stream_ordering()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long position(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT myelin_events_position()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void insertEvent(Connection c, long ordering) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO events (stream_ordering, event_id, room_id, type,"
                + " sender, depth, topological_ordering, origin_server_ts, json) VALUES (?, ?, '!r:test',"
                + " 'm.room.message', '@a:test', 1, 1, 0, '{}')")) {
            ps.setLong(1, ordering);
            ps.setString(2, "$e" + ordering);
            ps.executeUpdate();
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
    }
}
