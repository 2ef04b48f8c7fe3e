package org.myelin.db.media;

import org.myelin.db.support.Database;

import reactor.core.publisher.Mono;

/** Cached URL previews: the OpenGraph JSON of a URL, until it expires. */
public final class UrlPreviewRepository {

    private static final String FIND = "SELECT og FROM url_previews WHERE url = :url AND expires_ts > :now";
    private static final String PUT = """
            INSERT INTO url_previews (url, og, fetched_ts, expires_ts) VALUES (:url, :og, :now, :expires)
            ON CONFLICT (url) DO UPDATE SET og = EXCLUDED.og, fetched_ts = EXCLUDED.fetched_ts,
                expires_ts = EXCLUDED.expires_ts""";
    private static final String DELETE_EXPIRED = "DELETE FROM url_previews WHERE expires_ts <= :now";

    private final Database db;

    public UrlPreviewRepository(Database db) {
        this.db = db;
    }

    /** The unexpired preview JSON of {@code url}, if there is one. */
    public Mono<String> find(String url, long now) {
        return db.one(db.sql(FIND).bind("url", url).bind("now", now), r -> r.string("og"));
    }

    /** Stores (or replaces) the preview of {@code url}. */
    public Mono<Void> put(String url, String og, long now, long expiresTs) {
        return db.update(db.sql(PUT).bind("url", url).bind("og", og).bind("now", now).bind("expires", expiresTs))
                .then();
    }

    /** Forgets expired previews; returns how many. */
    public Mono<Long> deleteExpired(long now) {
        return db.update(db.sql(DELETE_EXPIRED).bind("now", now));
    }
}
