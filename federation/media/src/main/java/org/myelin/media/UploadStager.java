package org.myelin.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Writes an arriving upload to a temporary file in the staging directory, counting and hashing it on the way: the
 * body is never held in memory, and one byte over the limit stops it with 413 M_TOO_LARGE (whether or not it
 * announced a Content-Length). On any failure the file is deleted.
 * <p>
 * The body arrives in pieces of at most 8 KiB (Netty's HTTP decoder splits content so), and each file write is a hop
 * to the file channel's threads and back: the pieces are joined into writes of at least {@value #WRITE_BATCH_BYTES}
 * bytes, 8 writes for 1 MB instead of 123 (docs/performance.md, "Media upload, download and thumbnails").
 */
public final class UploadStager {

    /** Bytes gathered per file write; a staging upload holds at most about this much in memory. */
    static final int WRITE_BATCH_BYTES = 128 * 1024;

    private final Path directory;

    public UploadStager(Path directory) {
        this.directory = directory;
    }

    public Mono<StagedUpload> stage(Flux<DataBuffer> body, long maxBytes) {
        return Mono.fromCallable(this::newFile).subscribeOn(Schedulers.boundedElastic())
                .flatMap(file -> write(file, body, maxBytes)
                        .onErrorResume(e -> Mono.fromRunnable(() -> file.toFile().delete())
                                .subscribeOn(Schedulers.boundedElastic()).then(Mono.error(e)))
                        .doOnCancel(() -> file.toFile().delete()));
    }

    private Path newFile() {
        try {
            Files.createDirectories(directory);
            return Files.createTempFile(directory, "upload-", ".part");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a staging file in " + directory, e);
        }
    }

    private static Mono<StagedUpload> write(Path file, Flux<DataBuffer> body, long maxBytes) {
        MessageDigest digest = sha256();
        AtomicLong size = new AtomicLong();
        Flux<DataBuffer> counted = body.handle((buffer, sink) -> {
            if (size.addAndGet(buffer.readableByteCount()) > maxBytes) {
                DataBufferUtils.release(buffer);
                sink.error(new MatrixException(ErrCode.M_TOO_LARGE,
                        "Upload is larger than " + maxBytes + " bytes"));
                return;
            }
            try (DataBuffer.ByteBufferIterator chunks = buffer.readableByteBuffers()) {
                while (chunks.hasNext()) {
                    ByteBuffer chunk = chunks.next();
                    digest.update(chunk);
                }
            }
            sink.next(buffer);
        });
        Flux<DataBuffer> batched = counted.bufferUntil(fullBatch())
                .<DataBuffer>map(DefaultDataBufferFactory.sharedInstance::join)
                .doOnDiscard(DataBuffer.class, DataBufferUtils::release);
        return DataBufferUtils.write(batched, file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)
                .then(Mono.fromCallable(() -> new StagedUpload(file, size.get(),
                        HexFormat.of().formatHex(digest.digest()))));
    }

    /** True for the piece that fills the current batch to {@link #WRITE_BATCH_BYTES}; one per upload. */
    private static Predicate<DataBuffer> fullBatch() {
        long[] gathered = {0};
        return buffer -> {
            gathered[0] += buffer.readableByteCount();
            if (gathered[0] < WRITE_BATCH_BYTES) {
                return false;
            }
            gathered[0] = 0;
            return true;
        };
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Stages bytes already in memory (a generated thumbnail). */
    public Mono<StagedUpload> stage(byte[] bytes) {
        return Mono.fromCallable(() -> {
            Path file = newFile();
            Files.write(file, bytes);
            return new StagedUpload(file, bytes.length, HexFormat.of().formatHex(sha256().digest(bytes)));
        }).subscribeOn(Schedulers.boundedElastic());
    }
}
