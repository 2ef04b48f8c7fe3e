package org.myelin.db.ephemeral;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.myelin.db.support.Database;
import org.myelin.federation.protocol.account.IgnoredUsers;
import org.myelin.federation.protocol.json.CanonicalJson;

import io.r2dbc.postgresql.codec.Json;
import reactor.core.publisher.Mono;

/** Account data ({@code account_data}): global ({@code room_id = ''}) and per-room JSON objects by type. */
public final class AccountDataRepository {

    /** The room ID that stands for global account data. */
    public static final String GLOBAL = "";

    /** One account data entry; {@code roomId} is {@link #GLOBAL} for global data. */
    public record Entry(String roomId, String type, String contentJson) {
    }

    private static final String UPSERT = """
            INSERT INTO account_data (user_id, room_id, type, content, stream_id)
            VALUES (:userId, :roomId, :type, :content, :stream)
            ON CONFLICT (user_id, room_id, type) DO UPDATE SET content = EXCLUDED.content,
                stream_id = EXCLUDED.stream_id""";
    private static final String FIND = "SELECT content FROM account_data "
            + "WHERE user_id = :userId AND room_id = :roomId AND type = :type";
    private static final String CHANGED = """
            SELECT room_id, type, content FROM account_data
            WHERE user_id = :userId AND stream_id > :since AND stream_id <= :upTo ORDER BY stream_id""";

    /** Every tag name of every room of the user ({@code m.tag} room account data, {@code {"tags": {name: ...}}}). */
    private static final String TAGS = """
            SELECT room_id, jsonb_object_keys(content -> 'tags') AS tag FROM account_data
            WHERE user_id = :userId AND type = 'm.tag' AND room_id <> ''
              AND jsonb_typeof(content -> 'tags') = 'object'""";

    private final Database db;

    public AccountDataRepository(Database db) {
        this.db = db;
    }

    /** Stores (replaces) the user's {@code type} content in the room, or globally for {@link #GLOBAL}. */
    public Mono<Void> put(String userId, String roomId, String type, String contentJson, long position) {
        return db.update(db.sql(UPSERT).bind("userId", userId).bind("roomId", roomId).bind("type", type)
                .bind("content", Json.of(contentJson)).bind("stream", position)).then();
    }

    /** The content, or empty when the user has none of that type there. */
    public Mono<String> find(String userId, String roomId, String type) {
        return db.one(db.sql(FIND).bind("userId", userId).bind("roomId", roomId).bind("type", type),
                r -> r.json("content"));
    }

    /** The users {@code userId} ignores, from their global {@code m.ignored_user_list}; empty when none. */
    public Mono<Set<String>> ignoredUsers(String userId) {
        return find(userId, GLOBAL, IgnoredUsers.TYPE)
                .map(json -> IgnoredUsers.of(CanonicalJson.parse(json, CanonicalJson.Mode.LENIENT)))
                .defaultIfEmpty(Set.of());
    }

    /** Everything of the user's written in {@code (since, upTo]}, oldest first. */
    public Mono<List<Entry>> changed(String userId, long since, long upTo) {
        return db.many(db.sql(CHANGED).bind("userId", userId).bind("since", since).bind("upTo", upTo),
                r -> new Entry(r.string("room_id"), r.string("type"), r.json("content")));
    }

    /** The names of the user's tags by room (rooms without tags are left out). */
    public Mono<Map<String, Set<String>>> roomTags(String userId) {
        return db.many(db.sql(TAGS).bind("userId", userId), r -> Map.entry(r.string("room_id"), r.string("tag")))
                .map(rows -> {
                    Map<String, Set<String>> tags = new HashMap<>();
                    rows.forEach(e -> tags.computeIfAbsent(e.getKey(), k -> new HashSet<>()).add(e.getValue()));
                    return tags;
                });
    }
}
