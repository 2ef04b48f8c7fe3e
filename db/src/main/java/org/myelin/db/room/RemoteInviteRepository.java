package org.myelin.db.room;

import java.util.Optional;

import org.myelin.db.support.Database;

import reactor.core.publisher.Mono;

/** Invites of local users to rooms this server is not in ({@code remote_invites}). */
public final class RemoteInviteRepository {

    private static final String UPSERT = """
            INSERT INTO remote_invites (room_id, user_id, event_id, room_version, event_json, stripped_state,
                stream_ordering)
            VALUES (:room, :user, :event, :version, :json, :stripped, :stream)
            ON CONFLICT (room_id, user_id) DO UPDATE SET event_id = EXCLUDED.event_id,
                room_version = EXCLUDED.room_version, event_json = EXCLUDED.event_json,
                stripped_state = EXCLUDED.stripped_state, stream_ordering = EXCLUDED.stream_ordering""";
    private static final String FIND = """
            SELECT room_id, user_id, event_id, room_version, event_json, stripped_state, stream_ordering
            FROM remote_invites WHERE room_id = :room AND user_id = :user""";
    private static final String BY_EVENT = """
            SELECT room_id, user_id, event_id, room_version, event_json, stripped_state, stream_ordering
            FROM remote_invites WHERE event_id = :event""";
    private static final String DELETE = "DELETE FROM remote_invites WHERE room_id = :room AND user_id = :user";

    /**
     * One stored invite.
     *
     * @param eventJson     the invite event, signed by the inviting server and this one
     * @param strippedState the JSON array of stripped state events the inviting server sent
     */
    public record RemoteInvite(String roomId, String userId, String eventId, String roomVersion, String eventJson,
                               String strippedState, long streamOrdering) {
    }

    private final Database db;

    public RemoteInviteRepository(Database db) {
        this.db = db;
    }

    public Mono<Void> save(RemoteInvite invite) {
        return db.update(db.sql(UPSERT).bind("room", invite.roomId()).bind("user", invite.userId())
                .bind("event", invite.eventId()).bind("version", invite.roomVersion()).bind("json", invite.eventJson())
                .bind("stripped", invite.strippedState()).bind("stream", invite.streamOrdering())).then();
    }

    public Mono<Optional<RemoteInvite>> find(String roomId, String userId) {
        return db.many(db.sql(FIND).bind("room", roomId).bind("user", userId), RemoteInviteRepository::map)
                .map(rows -> rows.stream().findFirst());
    }

    /** The invite whose event is {@code eventId}. */
    public Mono<Optional<RemoteInvite>> byEvent(String eventId) {
        return db.many(db.sql(BY_EVENT).bind("event", eventId), RemoteInviteRepository::map)
                .map(rows -> rows.stream().findFirst());
    }

    private static RemoteInvite map(Database.Row row) {
        return new RemoteInvite(row.string("room_id"), row.string("user_id"), row.string("event_id"),
                row.string("room_version"), row.string("event_json"), row.string("stripped_state"),
                row.longValue("stream_ordering"));
    }

    public Mono<Void> delete(String roomId, String userId) {
        return db.update(db.sql(DELETE).bind("room", roomId).bind("user", userId)).then();
    }
}
