package org.myelin.media.store;

import java.nio.file.Path;

import org.springframework.core.io.buffer.DataBuffer;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Blob storage of the content repository. A blob is named by the lowercase hex SHA-256 of its bytes, so identical
 * content is stored once and a blob never changes. Implementations do their blocking I/O off the event loop.
 */
public interface MediaStore {

    /**
     * Makes {@code staged} (a complete local file whose SHA-256 is {@code sha256}) the blob {@code sha256}, and
     * consumes the file (moved into place or deleted). Storing a blob that exists already is a no-op.
     */
    Mono<Void> put(Path staged, String sha256);

    /** {@code length} bytes of the blob from {@code offset} on. */
    Flux<DataBuffer> read(String sha256, long offset, long length);

    /** The blob as a local file for decoders; close it after use (a downloaded copy is deleted then). */
    Mono<LocalBlob> local(String sha256);

    /** Deletes the blob; deleting one that is absent is a no-op. */
    Mono<Void> delete(String sha256);

    /** A blob's bytes in a local file; {@code temporary} ones are deleted on close. */
    record LocalBlob(Path path, boolean temporary) implements AutoCloseable {

        @Override
        public void close() {
            if (temporary) {
                path.toFile().delete();
            }
        }
    }
}
