package org.myelin.homeserver.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostmasterPidTest {

    /** What PostgreSQL 18 writes for a running server. */
    private static final String RUNNING = """
            4242
            /var/lib/myelin/postgres
            1767225600
            54321
            /tmp
            localhost
              1234567    98304
            ready   \s
            """;

    @Test
    void shouldReadPidDataDirectoryAndPort() {
        assertThat(PostmasterPid.parse(RUNNING))
                .contains(new PostmasterPid(4242, Path.of("/var/lib/myelin/postgres"), 54321));
    }

    @Test
    void shouldReportAnUnknownPortWhenTheFileIsStillBeingWritten() {
        assertThat(PostmasterPid.parse("4242\n/var/lib/myelin/postgres\n"))
                .contains(new PostmasterPid(4242, Path.of("/var/lib/myelin/postgres"), 0));
        assertThat(PostmasterPid.parse("4242\n/var/lib/myelin/postgres\n1767225600\nnot-a-port\n"))
                .contains(new PostmasterPid(4242, Path.of("/var/lib/myelin/postgres"), 0));
    }

    @Test
    void shouldRejectAFileThatNamesNoPidOrNoDirectory() {
        assertThat(PostmasterPid.parse("")).isEmpty();
        assertThat(PostmasterPid.parse("\n")).isEmpty();
        assertThat(PostmasterPid.parse("4242")).isEmpty();
        assertThat(PostmasterPid.parse("4242\n\n")).isEmpty();
        assertThat(PostmasterPid.parse("-1\n/var/lib/myelin/postgres\n")).isEmpty();
        assertThat(PostmasterPid.parse("pid\n/var/lib/myelin/postgres\n")).isEmpty();
    }

    @Test
    void readShouldFindTheFileInTheDataDirectoryOrNothing(@TempDir Path pgData) throws Exception {
        assertThat(PostmasterPid.read(pgData)).isEmpty();
        Files.writeString(pgData.resolve("postmaster.pid"), RUNNING);
        assertThat(PostmasterPid.read(pgData)).map(PostmasterPid::pid).contains(4242L);
    }
}
