package org.myelin.media.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Blobs as files under a directory: {@code <root>/ab/cd/abcd…} for SHA-256 {@code abcd…}. A staged upload on the
 * same file system is renamed into place atomically, so a reader never sees half a blob. Blocking calls run on
 * {@code boundedElastic}; reads stream through an {@link AsynchronousFileChannel}.
 */
public final class FileMediaStore implements MediaStore {

    private static final int CHUNK = 64 * 1024;

    private final Path root;

    public FileMediaStore(Path root) {
        this.root = root;
    }

    Path pathOf(String sha256) {
        return root.resolve(sha256.substring(0, 2)).resolve(sha256.substring(2, 4)).resolve(sha256);
    }

    @Override
    public Mono<Void> put(Path staged, String sha256) {
        return Mono.<Void>fromRunnable(() -> {
            Path target = pathOf(sha256);
            try {
                if (Files.exists(target)) {
                    Files.deleteIfExists(staged);
                    return;
                }
                Files.createDirectories(target.getParent());
                try {
                    Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot store media blob " + sha256, e);
            }
        }).subscribeOn(Schedulers.boundedElastic());
    }

    @Override
    public Flux<DataBuffer> read(String sha256, long offset, long length) {
        Path path = pathOf(sha256);
        Flux<DataBuffer> all = DataBufferUtils.readAsynchronousFileChannel(
                () -> AsynchronousFileChannel.open(path, StandardOpenOption.READ), offset,
                DefaultDataBufferFactory.sharedInstance, CHUNK);
        return DataBufferUtils.takeUntilByteCount(all, length).subscribeOn(Schedulers.boundedElastic())
                .onErrorMap(NoSuchFileException.class, e -> new MissingBlobException(sha256));
    }

    @Override
    public Mono<LocalBlob> local(String sha256) {
        return Mono.fromCallable(() -> {
            Path path = pathOf(sha256);
            if (!Files.exists(path)) {
                throw new MissingBlobException(sha256);
            }
            return new LocalBlob(path, false);
        }).subscribeOn(Schedulers.boundedElastic());
    }

    @Override
    public Mono<Void> delete(String sha256) {
        return Mono.<Void>fromRunnable(() -> {
            try {
                Files.deleteIfExists(pathOf(sha256));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot delete media blob " + sha256, e);
            }
        }).subscribeOn(Schedulers.boundedElastic());
    }
}
