package org.myelin.media.store;

import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Blobs as objects of one S3 bucket (AWS or any S3-compatible server), keyed {@code ab/cd/abcd…} like the local
 * store, so several nodes serve each other's uploads. The SDK's blocking client runs on {@code boundedElastic};
 * downloads stream from the object's body, a range as an S3 ranged GET; decoders get a temporary local copy.
 */
public final class S3MediaStore implements MediaStore {

    private static final int CHUNK = 64 * 1024;

    private final S3Client s3;
    private final String bucket;
    private final Path tempDirectory;

    public S3MediaStore(S3Client s3, String bucket, Path tempDirectory) {
        this.s3 = s3;
        this.bucket = bucket;
        this.tempDirectory = tempDirectory;
    }

    static String keyOf(String sha256) {
        return sha256.substring(0, 2) + "/" + sha256.substring(2, 4) + "/" + sha256;
    }

    @Override
    public Mono<Void> put(Path staged, String sha256) {
        return Mono.<Void>fromRunnable(() -> {
            String key = keyOf(sha256);
            if (!exists(key)) {
                s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(staged));
            }
            staged.toFile().delete();
        }).subscribeOn(Schedulers.boundedElastic());
    }

    private boolean exists(String key) {
        try {
            s3.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public Flux<DataBuffer> read(String sha256, long offset, long length) {
        if (length == 0) {
            return Flux.empty();
        }
        GetObjectRequest request = GetObjectRequest.builder().bucket(bucket).key(keyOf(sha256))
                .range("bytes=" + offset + "-" + (offset + length - 1)).build();
        return DataBufferUtils.readInputStream(() -> s3.getObject(request), DefaultDataBufferFactory.sharedInstance,
                CHUNK).subscribeOn(Schedulers.boundedElastic())
                .onErrorMap(NoSuchKeyException.class, e -> new MissingBlobException(sha256));
    }

    @Override
    public Mono<LocalBlob> local(String sha256) {
        return Mono.fromCallable(() -> {
            Files.createDirectories(tempDirectory);
            Path copy = tempDirectory.resolve("s3-" + sha256 + "-" + System.nanoTime());
            try {
                s3.getObject(b -> b.bucket(bucket).key(keyOf(sha256)), ResponseTransformer.toFile(copy));
            } catch (NoSuchKeyException e) {
                throw new MissingBlobException(sha256);
            }
            return new LocalBlob(copy, true);
        }).subscribeOn(Schedulers.boundedElastic());
    }

    @Override
    public Mono<Void> delete(String sha256) {
        return Mono.<Void>fromRunnable(() -> s3.deleteObject(b -> b.bucket(bucket).key(keyOf(sha256))))
                .subscribeOn(Schedulers.boundedElastic());
    }
}
