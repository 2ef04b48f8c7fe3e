package org.myelin.homeserver.database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.myelin.homeserver.startup.StartupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The PostgreSQL Myelin talks to: the operator's (from {@code MYELIN_DB_URL}), or, when none is configured, an
 * embedded PostgreSQL whose data lives in {@code <data-dir>/postgres} and survives restarts.
 * <p>
 * The embedded server is as durable as an external one: zonky's defaults are tuned for throwaway test databases
 * (asynchronous commit, no fsync), which lost the last acknowledged messages when Myelin and its PostgreSQL were
 * killed together, so every setting that trades durability for speed is put back to PostgreSQL's safe default.
 * What Myelin acknowledged is on disk ({@code EmbeddedPostgresCrashIT} kills both with SIGKILL mid-storm).
 * <p>
 * Its life is tied to this JVM's. zonky starts the postmaster through {@code pg_ctl}, so it is not our child and
 * outlives a {@code kill -9} of Myelin, holding the data directory. Two things keep that from stopping the next
 * start: a {@link ParentWatchdog} stops the postmaster as soon as the JVM is gone, and before starting,
 * {@link EmbeddedPostgresOrphans} stops a postmaster still running on the directory (when the watchdog was killed
 * too, or had not started yet) and deals with a stale {@code postmaster.pid}.
 */
public final class DatabaseServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseServer.class);

    /** The server settings that decide whether a commit Myelin acknowledged is on disk. */
    static final Map<String, String> DURABILITY = Map.of(
            "fsync", "on",
            "synchronous_commit", "on",
            "full_page_writes", "on",
            "wal_sync_method", "fdatasync");

    private final DatabaseCoordinates coordinates;
    private final EmbeddedPostgres embedded;
    private final ParentWatchdog watchdog;

    private DatabaseServer(DatabaseCoordinates coordinates, EmbeddedPostgres embedded, ParentWatchdog watchdog) {
        this.coordinates = coordinates;
        this.embedded = embedded;
        this.watchdog = watchdog;
    }

    /** Uses {@code url} when it is set, otherwise starts the embedded server under {@code dataDir}. */
    public static DatabaseServer open(String url, Path dataDir) {
        if (url != null && !url.isBlank()) {
            return new DatabaseServer(DatabaseCoordinates.parse(url), null, null);
        }
        return startEmbedded(dataDir.toAbsolutePath().normalize().resolve("postgres"));
    }

    private static DatabaseServer startEmbedded(Path pgData) {
        EmbeddedPostgresOrphans.clear(pgData);
        try {
            Files.createDirectories(pgData.getParent());
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
            DURABILITY.forEach(builder::setServerConfig);
            EmbeddedPostgres pg = builder
                    .setDataDirectory(pgData)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .start();
            ParentWatchdog watchdog = watch(pg, pgData);
            LOG.info("Started embedded PostgreSQL with data in {} (use MYELIN_DB_URL for production)", pgData);
            return new DatabaseServer(new DatabaseCoordinates("127.0.0.1", pg.getPort(), "postgres", "postgres", ""),
                    pg, watchdog);
        } catch (IOException | RuntimeException e) {
            throw new StartupException("the embedded PostgreSQL in " + pgData + " did not start: "
                    + rootMessage(e) + ". Set MYELIN_DB_URL to use an external PostgreSQL.");
        }
    }

    /** Starts the watchdog of the postmaster {@code pg} just started; stops {@code pg} if it cannot. */
    private static ParentWatchdog watch(EmbeddedPostgres pg, Path pgData) throws IOException {
        try {
            long pid = PostmasterPid.read(pgData)
                    .orElseThrow(() -> new IOException("no " + PostmasterPid.FILE_NAME + " after start")).pid();
            return ParentWatchdog.start(pid, pgData);
        } catch (IOException | RuntimeException e) {
            pg.close();
            throw e;
        }
    }

    public DatabaseCoordinates coordinates() {
        return coordinates;
    }

    public boolean isEmbedded() {
        return embedded != null;
    }

    @Override
    public void close() throws IOException {
        if (embedded != null) {
            try {
                embedded.close();
            } finally {
                watchdog.close();
            }
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
