package org.myelin.media;

import java.util.Collection;
import java.util.TreeSet;

import org.myelin.db.media.MediaRepository;
import org.myelin.db.support.Database;
import org.myelin.media.store.MediaStore;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Keeps blobs and the rows naming them consistent though several rows (and several nodes) share a blob. Whoever
 * writes a row naming a blob, or deletes a blob, holds the blob's advisory lock in that transaction: a new row is
 * committed only with its blob in place, and a blob is deleted only while no row names it.
 */
public final class Blobs {

    private final Database db;
    private final MediaRepository media;
    private final MediaStore store;

    public Blobs(Database db, MediaRepository media, MediaStore store) {
        this.db = db;
        this.media = media;
        this.store = store;
    }

    /**
     * Runs {@code writeRow} (which must name the staged blob, and fails rather than writing nothing) and then stores
     * the blob, in one locked transaction.
     */
    public Mono<Void> storeWith(StagedUpload staged, Mono<?> writeRow) {
        return db.inTransaction(media.lockContent(staged.sha256())
                .then(writeRow)
                .then(store.put(staged.file(), staged.sha256())))
                .doFinally(signal -> staged.discard());
    }

    /** Runs {@code deleteRows}, then deletes each of {@code blobs} no row names any more, in one transaction. */
    public <T> Mono<T> deleteWith(Collection<String> blobs, Mono<T> deleteRows) {
        TreeSet<String> ordered = new TreeSet<>(blobs);
        return db.inTransaction(Flux.fromIterable(ordered).concatMap(media::lockContent).then(deleteRows)
                .flatMap(result -> Flux.fromIterable(ordered)
                        .concatMap(sha -> media.references(sha)
                                .flatMap(refs -> refs == 0 ? store.delete(sha) : Mono.empty()))
                        .then(Mono.just(result))));
    }
}
