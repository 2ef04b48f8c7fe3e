package org.myelin.db.slidingsync;

import org.myelin.db.support.Database;
import org.springframework.r2dbc.core.DatabaseClient;

import reactor.core.publisher.Mono;

/**
 * Sliding sync connections ({@code sliding_sync_connections}) and the positions their responses handed out
 * ({@code sliding_sync_connection_positions}), each with the connection's state as that response left it. Every
 * read checks that the position belongs to the asking (user, device, conn_id), so a position is useless to anyone
 * else.
 */
public final class SlidingSyncConnectionRepository {

    /** Who a connection belongs to: the user, their device (or another stable key of the token) and conn_id. */
    public record Connection(String userId, String deviceId, String connId) {
    }

    /** A stored position: its connection, the state it recorded and when the connection was last used. */
    public record StoredPosition(long connectionKey, long position, String state, long lastUsedTs) {
    }

    private static final String FIND = """
            SELECT c.connection_key, p.connection_position, p.state, c.last_used_ts
            FROM sliding_sync_connection_positions p JOIN sliding_sync_connections c USING (connection_key)
            WHERE p.connection_position = :position AND c.user_id = :userId AND c.device_id = :deviceId
              AND c.conn_id = :connId""";
    private static final String DELETE_CONNECTION = """
            DELETE FROM sliding_sync_connections WHERE user_id = :userId AND device_id = :deviceId
              AND conn_id = :connId""";
    private static final String INSERT_CONNECTION = """
            INSERT INTO sliding_sync_connections (user_id, device_id, conn_id, created_ts, last_used_ts)
            VALUES (:userId, :deviceId, :connId, :now, :now) RETURNING connection_key""";
    /** Beyond {@code :keep} connections of one device, the least recently used go. */
    private static final String TRIM_DEVICE = """
            DELETE FROM sliding_sync_connections WHERE connection_key IN (SELECT connection_key
                FROM sliding_sync_connections WHERE user_id = :userId AND device_id = :deviceId
                ORDER BY last_used_ts DESC, connection_key DESC OFFSET :keep)""";
    private static final String TOUCH = """
            UPDATE sliding_sync_connections SET last_used_ts = :now WHERE connection_key = :key
            RETURNING connection_key""";
    private static final String INSERT_POSITION = """
            INSERT INTO sliding_sync_connection_positions (connection_key, state, created_ts)
            VALUES (:key, :state, :now) RETURNING connection_position""";
    private static final String FORGET_OTHERS = """
            DELETE FROM sliding_sync_connection_positions
            WHERE connection_key = :key AND connection_position <> :keep AND connection_position <> :kept""";
    private static final String DELETE_BY_KEY = "DELETE FROM sliding_sync_connections WHERE connection_key = :key";
    private static final String DELETE_IDLE = "DELETE FROM sliding_sync_connections WHERE last_used_ts < :before";

    private final Database db;

    public SlidingSyncConnectionRepository(Database db) {
        this.db = db;
    }

    /** The position, if it exists and belongs to {@code connection}. */
    public Mono<StoredPosition> find(Connection connection, long position) {
        return db.one(db.sql(FIND).bind("position", position).bind("userId", connection.userId())
                .bind("deviceId", connection.deviceId()).bind("connId", connection.connId()),
                r -> new StoredPosition(r.longValue("connection_key"), r.longValue("connection_position"),
                        r.string("state"), r.longValue("last_used_ts")));
    }

    /**
     * Starts the connection afresh with its first position: whatever was stored for it goes, of the device's
     * connections only the {@code maxPerDevice} most recently used stay, and every connection (anyone's) not used
     * since {@code idleBefore} goes (a connection starts seldom, and the last-used index makes this cheap).
     *
     * @return the new position
     */
    public Mono<Long> start(Connection connection, String state, long now, int maxPerDevice, long idleBefore) {
        Mono<Long> work = db.update(db.sql(DELETE_IDLE).bind("before", idleBefore))
                .then(db.update(bindConnection(db.sql(DELETE_CONNECTION), connection)))
                .then(db.one(bindConnection(db.sql(INSERT_CONNECTION), connection).bind("now", now),
                        r -> r.longValue("connection_key")))
                .flatMap(key -> db.one(db.sql(INSERT_POSITION).bind("key", key).bind("state", state).bind("now", now),
                        r -> r.longValue("connection_position")))
                .flatMap(position -> db.update(db.sql(TRIM_DEVICE).bind("userId", connection.userId())
                        .bind("deviceId", connection.deviceId()).bind("keep", maxPerDevice)).thenReturn(position));
        return db.inTransaction(work);
    }

    /**
     * Records the next position of a connection whose client came back with {@code previous}: every other
     * position goes (the client can only come back with {@code previous}, again, or the new one), so a connection
     * never holds more than two.
     *
     * @return the new position, or empty when the connection is gone meanwhile
     */
    public Mono<Long> advance(long connectionKey, long previous, String state, long now) {
        Mono<Long> work = db.one(db.sql(TOUCH).bind("key", connectionKey).bind("now", now),
                r -> r.longValue("connection_key"))
                .flatMap(key -> db.one(db.sql(INSERT_POSITION).bind("key", key).bind("state", state).bind("now", now),
                        r -> r.longValue("connection_position")))
                .flatMap(position -> db.update(db.sql(FORGET_OTHERS).bind("key", connectionKey)
                        .bind("keep", previous).bind("kept", position)).thenReturn(position));
        return db.inTransaction(work);
    }

    /** The connection was used now (its client came back and nothing new was recorded). */
    public Mono<Void> touch(long connectionKey, long now) {
        return db.update(db.sql(TOUCH).bind("key", connectionKey).bind("now", now)).then();
    }

    /** Forgets a connection and its positions (expired). */
    public Mono<Void> delete(long connectionKey) {
        return db.update(db.sql(DELETE_BY_KEY).bind("key", connectionKey)).then();
    }

    private static DatabaseClient.GenericExecuteSpec bindConnection(DatabaseClient.GenericExecuteSpec spec,
            Connection connection) {
        return spec.bind("userId", connection.userId()).bind("deviceId", connection.deviceId())
                .bind("connId", connection.connId());
    }
}
