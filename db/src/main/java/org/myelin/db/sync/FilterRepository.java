package org.myelin.db.sync;

import org.myelin.db.support.Database;

import io.r2dbc.postgresql.codec.Json;
import reactor.core.publisher.Mono;

/**
 * Filters uploaded with {@code POST /user/{userId}/filter}: the JSON exactly as validated, under an ID from one
 * server-wide sequence. A filter is only ever read back by its owner, so every lookup is by (user, ID).
 */
public final class FilterRepository {

    private static final String INSERT = "INSERT INTO filters (user_id, filter) VALUES (:userId, :filter) "
            + "RETURNING filter_id";
    private static final String SELECT = "SELECT filter FROM filters WHERE user_id = :userId AND filter_id = :id";

    private final Database db;

    public FilterRepository(Database db) {
        this.db = db;
    }

    /** Stores {@code filterJson} (a JSON object) for {@code userId} and emits its new ID. */
    public Mono<Long> insert(String userId, String filterJson) {
        return db.one(db.sql(INSERT).bind("userId", userId).bind("filter", Json.of(filterJson)),
                r -> r.longValue("filter_id"));
    }

    /** The JSON of the user's filter, or empty when the user has no filter with that ID. */
    public Mono<String> find(String userId, long filterId) {
        return db.one(db.sql(SELECT).bind("userId", userId).bind("id", filterId), r -> r.json("filter"));
    }
}
