package org.myelin.homeserver.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.homeserver.startup.StartupException;

/** The embedded default: a real PostgreSQL in the data directory that keeps its data across restarts. */
class DatabaseServerIT {

    @TempDir
    Path dataDir;

    @Test
    void embeddedDatabaseShouldKeepItsDataAcrossRestarts() throws Exception {
        try (DatabaseServer first = DatabaseServer.open("", dataDir)) {
            assertThat(first.isEmbedded()).isTrue();
            SchemaMigrator.migrate(first.coordinates());
            execute(first.coordinates(), "INSERT INTO registration_nonces (nonce, expires_ts) VALUES ('kept', 1)");
        }
        assertThat(Files.isDirectory(dataDir.resolve("postgres"))).isTrue();

        try (DatabaseServer second = DatabaseServer.open(null, dataDir)) {
            SchemaMigrator.migrate(second.coordinates());
            assertThat(count(second.coordinates(), "SELECT count(*) FROM registration_nonces WHERE nonce = 'kept'"))
                    .isEqualTo(1);
        }
    }

    @Test
    void embeddedDatabaseShouldCommitDurably() throws Exception {
        try (DatabaseServer server = DatabaseServer.open("", dataDir)) {
            for (String setting : DatabaseServer.DURABILITY.keySet()) {
                assertThat(show(server.coordinates(), setting)).as(setting)
                        .isEqualTo(DatabaseServer.DURABILITY.get(setting));
            }
        }
    }

    @Test
    void aLockFileOfAPostgresThatIsGoneShouldNotStopTheStart() throws Exception {
        DatabaseServer.open("", dataDir).close();
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        writeLockFile(gone.pid());

        try (DatabaseServer server = DatabaseServer.open("", dataDir)) {
            assertThat(count(server.coordinates(), "SELECT 1")).isEqualTo(1);
        }
    }

    @Test
    void aLockFileNamingALiveProcessThatIsNoPostgresShouldBeDeleted() throws Exception {
        DatabaseServer.open("", dataDir).close();
        Process unrelated = new ProcessBuilder("sleep", "60").start();
        writeLockFile(unrelated.pid());

        try (DatabaseServer server = DatabaseServer.open("", dataDir)) {
            assertThat(count(server.coordinates(), "SELECT 1")).isEqualTo(1);
            assertThat(PostmasterPid.read(dataDir.resolve("postgres"))).map(PostmasterPid::pid)
                    .isNotEqualTo(Optional.of(unrelated.pid()));
            assertThat(unrelated.isAlive()).as("the unrelated process").isTrue();
        } finally {
            unrelated.destroyForcibly();
        }
    }

    @Test
    void aSecondServerOnADirectoryInUseShouldFailWithoutStoppingTheFirst() throws Exception {
        try (DatabaseServer first = DatabaseServer.open("", dataDir)) {
            assertThatThrownBy(() -> DatabaseServer.open("", dataDir))
                    .isInstanceOf(StartupException.class).hasMessageContaining("another running Myelin uses");
            assertThat(count(first.coordinates(), "SELECT 1")).isEqualTo(1);
        }
    }

    @Test
    void externalUrlShouldBeUsedWithoutStartingAnything() throws Exception {
        try (DatabaseServer server = DatabaseServer.open("postgresql://u:p%40ss@db.example:6543/myelin", dataDir)) {
            assertThat(server.isEmbedded()).isFalse();
            assertThat(server.coordinates())
                    .isEqualTo(new DatabaseCoordinates("db.example", 6543, "myelin", "u", "p@ss"));
        }
        assertThat(Files.exists(dataDir.resolve("postgres"))).isFalse();
    }

    @Test
    void malformedUrlShouldFailWithAMessageNamingTheSetting() {
        assertThatThrownBy(() -> DatabaseServer.open("mysql://x/y", dataDir))
                .isInstanceOf(StartupException.class).hasMessageContaining("MYELIN_DB_URL");
        assertThatThrownBy(() -> DatabaseServer.open("postgresql://host:5432", dataDir))
                .isInstanceOf(StartupException.class).hasMessageContaining("names no database");
    }

    @Test
    void unreachableDatabaseShouldFailWithAMessageNamingTheAddress() {
        assertThatThrownBy(() -> SchemaMigrator.migrate(new DatabaseCoordinates("127.0.0.1", 1, "x", "u", "")))
                .isInstanceOf(StartupException.class).hasMessageContaining("127.0.0.1:1/x");
    }

    /** A postmaster.pid as PostgreSQL writes it, naming {@code pid}. */
    private void writeLockFile(long pid) throws Exception {
        Path pgData = dataDir.resolve("postgres");
        Files.writeString(pgData.resolve("postmaster.pid"), pid + "\n" + pgData + "\n1767225600\n54321\n/tmp\n"
                + "localhost\n  1234567    98304\nready   \n");
    }

    private static void execute(DatabaseCoordinates c, String sql) throws Exception {
        try (Connection conn = DriverManager.getConnection(c.jdbcUrl(), c.user(), c.password());
                Statement st = conn.createStatement()) {
            st.execute(sql);
        }
    }

    private static String show(DatabaseCoordinates c, String setting) throws Exception {
        try (Connection conn = DriverManager.getConnection(c.jdbcUrl(), c.user(), c.password());
                Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static int count(DatabaseCoordinates c, String sql) throws Exception {
        try (Connection conn = DriverManager.getConnection(c.jdbcUrl(), c.user(), c.password());
                Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
