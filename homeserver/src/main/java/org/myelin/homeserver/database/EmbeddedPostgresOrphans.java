package org.myelin.homeserver.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.myelin.homeserver.startup.StartupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clears the way for the embedded PostgreSQL before it starts, when an earlier Myelin did not stop it: after
 * {@code kill -9} of Myelin alone (before its {@link ParentWatchdog} acted, or with the watchdog killed too) its
 * PostgreSQL still runs on the data directory, and a new one cannot start there. Blocking; runs at start-up only.
 * <ul>
 * <li>No {@code postmaster.pid}: nothing to do.</li>
 * <li>It names a process that is gone (PostgreSQL was killed too): nothing to do either, PostgreSQL replaces the
 * stale file and recovers from its write-ahead log.</li>
 * <li>It names a live process that is not a postgres working in this data directory (its PID was reused, e.g.
 * after a reboot): the file is stale, and deleted, since PostgreSQL would refuse to start over it.</li>
 * <li>It names a postgres working in this directory, and no live process holds zonky's {@code epg-lock} (the
 * Myelin that started it is gone): that orphan gets a fast shutdown request (SIGINT), and start-up waits up to
 * {@link #STOP_TIMEOUT_SECONDS} s for it to exit.</li>
 * <li>Another live process holds {@code epg-lock}: another Myelin uses this data directory, and start-up fails
 * rather than stop its database.</li>
 * </ul>
 * A postgres "working in this directory" is one whose current directory (Linux {@code /proc/<pid>/cwd}) is the
 * data directory: the postmaster changes into it at start and stays there.
 */
final class EmbeddedPostgresOrphans {

    static final int STOP_TIMEOUT_SECONDS = 30;

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresOrphans.class);

    /** zonky's lock file in the data directory, held by the JVM whose EmbeddedPostgres runs on it. */
    private static final String ZONKY_LOCK = "epg-lock";

    private EmbeddedPostgresOrphans() {
    }

    /** Makes sure no earlier PostgreSQL stands in the way of starting one on {@code pgData}. */
    static void clear(Path pgData) {
        try {
            clearOrThrow(pgData);
        } catch (UncheckedIOException e) {
            throw new StartupException("cannot check for an earlier embedded PostgreSQL in " + pgData + ": "
                    + DatabaseServer.rootMessage(e));
        }
    }

    private static void clearOrThrow(Path pgData) {
        Optional<PostmasterPid> found = PostmasterPid.read(pgData);
        if (found.isEmpty()) {
            return;
        }
        PostmasterPid pidFile = found.get();
        Optional<ProcessHandle> process = ProcessHandle.of(pidFile.pid()).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            LOG.info("The embedded PostgreSQL in {} was not shut down cleanly (pid {} is gone); it will recover from "
                    + "its write-ahead log", pgData, pidFile.pid());
        } else if (!isPostgresIn(process.get(), pgData)) {
            LOG.warn("Deleting the stale {} in {}: pid {} is not a PostgreSQL on this directory",
                    PostmasterPid.FILE_NAME, pgData, pidFile.pid());
            delete(pgData.resolve(PostmasterPid.FILE_NAME));
        } else {
            requireNoLiveOwner(pgData, pidFile);
            stop(process.get(), pgData, pidFile);
        }
    }

    /**
     * Whether {@code process} is a postgres whose current directory is {@code dir} (its binary's name may carry
     * Linux's " (deleted)" when the binaries were cleaned up under it).
     */
    static boolean isPostgresIn(ProcessHandle process, Path dir) {
        boolean postgres = process.info().command()
                .map(c -> Path.of(c).getFileName().toString().startsWith("postgres")).orElse(false);
        try {
            return postgres && Files.isSameFile(Path.of("/proc", Long.toString(process.pid()), "cwd"), dir);
        } catch (IOException e) {
            return false;
        }
    }

    private static void requireNoLiveOwner(Path pgData, PostmasterPid pidFile) {
        try (FileChannel channel = FileChannel.open(pgData.resolve(ZONKY_LOCK), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = channel.tryLock()) {
            if (lock != null) {
                return;
            }
        } catch (OverlappingFileLockException e) {
            // held by this JVM: an embedded PostgreSQL of this process runs on the directory
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new StartupException("another running Myelin uses the embedded PostgreSQL in " + pgData + " (pid "
                + pidFile.pid() + ", port " + pidFile.port() + "); stop it first, or give this one its own "
                + "MYELIN_DATA_DIR");
    }

    private static void stop(ProcessHandle orphan, Path pgData, PostmasterPid pidFile) {
        long started = System.nanoTime();
        String what = "the embedded PostgreSQL an earlier Myelin left running in " + pgData + " (pid " + pidFile.pid()
                + ", port " + pidFile.port() + ")";
        signalFastShutdown(orphan.pid(), what);
        try {
            orphan.onExit().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new StartupException(what + " did not stop within " + STOP_TIMEOUT_SECONDS + " s of a fast "
                    + "shutdown request (SIGINT); stop it, then start Myelin again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while stopping " + what);
        }
        LOG.warn("Stopped the embedded PostgreSQL (pid {}, port {}) that an earlier Myelin left running in {}, in {} ms"
                + "; starting it again", pidFile.pid(), pidFile.port(), pgData,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /**
     * Sends SIGINT, PostgreSQL's fast shutdown, as {@code pg_ctl stop -m fast} would (Java itself sends only SIGTERM
     * and SIGKILL). Not pg_ctl itself: it refuses to run as root, where zonky runs PostgreSQL under
     * {@code unshare -U}.
     */
    private static void signalFastShutdown(long pid, String what) {
        try {
            Process kill = new ProcessBuilder("sh", "-c", "kill -INT \"$1\"", "sh", Long.toString(pid))
                    .redirectErrorStream(true).start();
            kill.getOutputStream().close();
            String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (kill.waitFor() != 0) {
                throw new StartupException("cannot stop " + what + ": " + output);
            }
        } catch (IOException e) {
            throw new StartupException("cannot stop " + what + ": " + DatabaseServer.rootMessage(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while stopping " + what);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new StartupException("cannot delete the stale " + file + ": " + DatabaseServer.rootMessage(e));
        }
    }
}
