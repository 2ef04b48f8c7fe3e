package org.myelin.homeserver.database;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Stops the embedded PostgreSQL when the JVM that started it dies, however it dies: a shutdown hook does not run on
 * {@code kill -9}, Java cannot ask Linux for a parent-death signal, and the postmaster is not our child anyway
 * (zonky starts it through {@code pg_ctl}, so it is re-parented to init).
 * <p>
 * The watchdog is one {@code sh} process whose standard input is a pipe from this JVM that nothing is ever written
 * to. Only this JVM holds the pipe's write end (Java closes inherited descriptors in every process it starts), so
 * the kernel closes it exactly when the JVM exits, for whatever reason; the shell's {@code read} then sees end of
 * file and sends SIGINT (PostgreSQL's fast shutdown: roll back open transactions, checkpoint, exit) to the
 * postmaster, but only if that PID still is a process working in the data directory, so that a PID reused since
 * is left alone. On an orderly shutdown {@link #close()} closes the pipe after PostgreSQL has been stopped, and the
 * watchdog finds nothing left to stop. The watchdog writes one line to the JVM's standard error when it acts.
 * <p>
 * If the watchdog itself is killed too, the next start-up stops the orphan ({@link EmbeddedPostgresOrphans}).
 */
final class ParentWatchdog implements AutoCloseable {

    /** $1: the postmaster's PID, $2: the data directory. {@code -ef}: same file, following /proc's link. */
    private static final String SCRIPT = "while read -r line; do :; done; "
            + "if [ \"/proc/$1/cwd\" -ef \"$2\" ]; then "
            + "echo \"myelin-postgres-watchdog: Myelin is gone, stopping its embedded PostgreSQL (pid $1) in $2\" >&2; "
            + "kill -INT \"$1\"; fi";

    private final Process process;

    private ParentWatchdog(Process process) {
        this.process = process;
    }

    /** Starts watching this JVM on behalf of the postmaster {@code postmasterPid} running in {@code pgData}. */
    static ParentWatchdog start(long postmasterPid, Path pgData) throws IOException {
        return new ParentWatchdog(new ProcessBuilder("sh", "-c", SCRIPT, "myelin-postgres-watchdog",
                Long.toString(postmasterPid), pgData.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start());
    }

    /** Closes the pipe, as the JVM's death would, and waits briefly for the watchdog to finish. */
    @Override
    public void close() throws IOException {
        process.getOutputStream().close();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroy();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroy();
        }
    }
}
