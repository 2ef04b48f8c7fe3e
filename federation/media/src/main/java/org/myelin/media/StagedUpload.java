package org.myelin.media;

import java.nio.file.Path;

/** An upload written to a local temporary file: its size and the lowercase hex SHA-256 of its bytes. */
public record StagedUpload(Path file, long size, String sha256) {

    /** Deletes the file if it is still there (it is gone once a store has taken it). */
    public void discard() {
        file.toFile().delete();
    }
}
