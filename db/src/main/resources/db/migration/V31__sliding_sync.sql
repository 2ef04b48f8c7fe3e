-- Simplified sliding sync (MSC4186, issue #14).

-- One connection per (user, device, conn_id): what the client was sent on it, so that an incremental request only
-- gets what changed. Kept here, not in a node's memory, so a client may continue on any node.
CREATE TABLE sliding_sync_connections (
    connection_key  BIGSERIAL PRIMARY KEY,
    user_id         TEXT NOT NULL,
    device_id       TEXT NOT NULL,
    conn_id         TEXT NOT NULL,
    created_ts      BIGINT NOT NULL,
    last_used_ts    BIGINT NOT NULL,
    UNIQUE (user_id, device_id, conn_id)
);
CREATE INDEX sliding_sync_connections_last_used ON sliding_sync_connections (last_used_ts);

-- A response's pos names one of these rows. state is the connection's state as that response left it (JSON: per
-- room whether and up to where it was sent, with the timeline limit and required_state it was sent with, and the
-- list counts). A request with a pos leaves only that row and the one its response records; the client cannot
-- come back with any other.
CREATE TABLE sliding_sync_connection_positions (
    connection_position  BIGSERIAL PRIMARY KEY,
    connection_key       BIGINT NOT NULL REFERENCES sliding_sync_connections (connection_key) ON DELETE CASCADE,
    state                TEXT NOT NULL,
    created_ts           BIGINT NOT NULL
);
CREATE INDEX sliding_sync_connection_positions_connection
    ON sliding_sync_connection_positions (connection_key);

-- A room's bump stamp is the stream ordering of its latest event of the MSC's bump types; rooms are listed by it.
-- This partial index makes it one index probe per room.
CREATE INDEX events_bump_stamp ON events (room_id, stream_ordering)
    WHERE type IN ('m.room.create', 'm.room.message', 'm.room.encrypted', 'm.sticker', 'm.call.invite',
                   'm.poll.start', 'm.beacon_info')
      AND NOT outlier AND NOT soft_failed AND rejected_reason IS NULL AND stream_ordering > 0;
