package org.myelin.homeserver.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watchdog against a stand-in postmaster ({@code sleep}, working in a directory). Closing the watchdog closes
 * its pipe exactly as the JVM's death does; {@code EmbeddedPostgresCrashIT} kills a real Myelin.
 */
class ParentWatchdogTest {

    private static final int SIGINT_EXIT = 128 + 2;

    @TempDir
    Path pgData;

    @TempDir
    Path elsewhere;

    private Process postmaster;

    @Test
    void theEndOfThePipeShouldInterruptThePostmaster() throws Exception {
        postmaster = new ProcessBuilder("sleep", "60").directory(pgData.toFile()).start();
        ParentWatchdog watchdog = ParentWatchdog.start(postmaster.pid(), pgData);
        assertThat(postmaster.waitFor(300, TimeUnit.MILLISECONDS)).as("stopped while the JVM lives").isFalse();

        watchdog.close();

        assertThat(postmaster.waitFor(5, TimeUnit.SECONDS)).as("stopped once the pipe is closed").isTrue();
        assertThat(postmaster.exitValue()).as("exit status (SIGINT, fast shutdown)").isEqualTo(SIGINT_EXIT);
    }

    @Test
    void aProcessThatDoesNotWorkInTheDataDirectoryShouldBeLeftAlone() throws Exception {
        postmaster = new ProcessBuilder("sleep", "60").directory(elsewhere.toFile()).start();
        ParentWatchdog watchdog = ParentWatchdog.start(postmaster.pid(), pgData);

        watchdog.close();

        assertThat(postmaster.waitFor(300, TimeUnit.MILLISECONDS)).as("a reused PID's process stopped").isFalse();
    }

    @AfterEach
    void stopPostmaster() {
        postmaster.destroyForcibly();
    }
}
