package org.myelin.media.store;

/** A media row names a blob the store does not have: storage was lost or changed under the database. */
public final class MissingBlobException extends RuntimeException {

    public MissingBlobException(String sha256) {
        super("Media blob " + sha256 + " is missing from the store");
    }
}
