package org.myelin.homeserver.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What PostgreSQL's {@code postmaster.pid} lock file says about the server that created it: line 1 is the
 * postmaster's PID, line 2 its data directory, line 4 its port. The file exists while a postmaster runs and is left
 * behind when one dies without shutting down.
 *
 * @param pid the postmaster's process ID
 * @param dataDirectory the data directory as the postmaster was given it
 * @param port the TCP port, 0 when the file does not say (yet)
 */
record PostmasterPid(long pid, Path dataDirectory, int port) {

    static final String FILE_NAME = "postmaster.pid";

    /** The lock file of {@code pgData}, or empty when there is none or it does not name a PID. */
    static Optional<PostmasterPid> read(Path pgData) {
        try {
            return parse(Files.readString(pgData.resolve(FILE_NAME), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses the file's text; empty when line 1 is not a PID (a file being written, or not PostgreSQL's). */
    static Optional<PostmasterPid> parse(String content) {
        String[] lines = content.split("\n", -1);
        long pid = number(lines, 0);
        if (pid <= 0 || lines.length < 2 || lines[1].isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new PostmasterPid(pid, Path.of(lines[1].trim()), (int) Math.max(0, number(lines, 3))));
    }

    private static long number(String[] lines, int index) {
        if (index >= lines.length) {
            return 0;
        }
        try {
            return Long.parseLong(lines[index].trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
