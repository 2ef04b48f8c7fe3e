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

-- What a sliding sync room list sorts and filters rooms by, per room this server has, kept by triggers in the
-- transactions that write events and current state, so a list of a thousand rooms is one join, not a thousand
-- probes: the bump stamp (the stream ordering of the latest accepted event of the MSC's bump types; backfilled and
-- outlier events do not count), whether the room is encrypted, and its type (the create event's content.type).
CREATE TABLE sliding_sync_rooms (
    room_id     TEXT PRIMARY KEY,
    bump_stamp  BIGINT,
    encrypted   BOOLEAN NOT NULL DEFAULT FALSE,
    room_type   TEXT
);

CREATE FUNCTION myelin_sliding_sync_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.type IN ('m.room.create', 'm.room.message', 'm.room.encrypted', 'm.sticker', 'm.call.invite',
                    'm.poll.start', 'm.beacon_info')
            AND NOT NEW.outlier AND NOT NEW.soft_failed AND NEW.rejected_reason IS NULL AND NEW.stream_ordering > 0 THEN
        INSERT INTO sliding_sync_rooms AS s (room_id, bump_stamp) VALUES (NEW.room_id, NEW.stream_ordering)
        ON CONFLICT (room_id) DO UPDATE SET bump_stamp = EXCLUDED.bump_stamp
            WHERE s.bump_stamp IS NULL OR s.bump_stamp < EXCLUDED.bump_stamp;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER events_sliding_sync_bump AFTER INSERT ON events
    FOR EACH ROW EXECUTE FUNCTION myelin_sliding_sync_bump();

CREATE FUNCTION myelin_sliding_sync_state() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.type = 'm.room.encryption' AND OLD.state_key = '' THEN
            UPDATE sliding_sync_rooms SET encrypted = FALSE WHERE room_id = OLD.room_id;
        END IF;
    ELSIF NEW.type = 'm.room.encryption' AND NEW.state_key = '' THEN
        INSERT INTO sliding_sync_rooms (room_id, encrypted) VALUES (NEW.room_id, TRUE)
        ON CONFLICT (room_id) DO UPDATE SET encrypted = TRUE;
    ELSIF NEW.type = 'm.room.create' AND NEW.state_key = '' THEN
        INSERT INTO sliding_sync_rooms (room_id, room_type)
        VALUES (NEW.room_id, (SELECT (e.json::jsonb) -> 'content' ->> 'type' FROM events e
                              WHERE e.event_id = NEW.event_id))
        ON CONFLICT (room_id) DO UPDATE SET room_type = EXCLUDED.room_type;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER current_state_sliding_sync AFTER INSERT OR UPDATE OR DELETE ON current_state
    FOR EACH ROW EXECUTE FUNCTION myelin_sliding_sync_state();

INSERT INTO sliding_sync_rooms (room_id, bump_stamp, encrypted, room_type)
SELECT r.room_id,
       (SELECT max(e.stream_ordering) FROM events e WHERE e.room_id = r.room_id
            AND e.type IN ('m.room.create', 'm.room.message', 'm.room.encrypted', 'm.sticker', 'm.call.invite',
                           'm.poll.start', 'm.beacon_info')
            AND NOT e.outlier AND NOT e.soft_failed AND e.rejected_reason IS NULL AND e.stream_ordering > 0),
       EXISTS (SELECT 1 FROM current_state c WHERE c.room_id = r.room_id AND c.type = 'm.room.encryption'
                   AND c.state_key = ''),
       (SELECT (e.json::jsonb) -> 'content' ->> 'type' FROM current_state c JOIN events e ON e.event_id = c.event_id
            WHERE c.room_id = r.room_id AND c.type = 'm.room.create' AND c.state_key = '')
FROM rooms r;
