-- Per-user sync streams: typing, receipts, account data, presence and to-device (docs/architecture.md
-- "Ephemeral streams"). Every position comes from stream_positions, so all nodes agree on it.

-- One counter row per stream. A writer advances it (UPDATE ... RETURNING) in the transaction of its write: the
-- row lock orders the stream's writers by commit, and a reader's SELECT sees a position only once the data
-- written under it has committed, so no sync can step over a write that commits later with a lower position.
CREATE TABLE stream_positions (
    stream    TEXT PRIMARY KEY,                  -- the stream's name, as in StreamPosition and the sync token
    position  BIGINT NOT NULL                    -- the highest position handed out and committed
);
INSERT INTO stream_positions (stream, position)
VALUES ('typing', 0), ('receipts', 0), ('account_data', 0), ('presence', 0), ('to_device', 0);

-- Who is typing where. A row is kept after its user stops (active = FALSE) so that the change has a position.
CREATE TABLE typing (
    room_id     TEXT NOT NULL,                   -- the room typed in
    user_id     TEXT NOT NULL,                   -- the typing user
    active      BOOLEAN NOT NULL,                -- TRUE until stopped or swept after expiry
    expires_ts  BIGINT NOT NULL,                 -- ms since epoch when the notification lapses
    stream_id   BIGINT NOT NULL,                 -- typing position of the last change (start, stop, expiry)
    PRIMARY KEY (room_id, user_id)
);
COMMENT ON COLUMN typing.active IS 'TRUE until stopped or swept after expiry; readers also check expires_ts';
CREATE INDEX typing_room_stream ON typing (room_id, stream_id);
CREATE INDEX typing_pending_expiry ON typing (expires_ts) WHERE active;

CREATE INDEX receipts_room_stream ON receipts (room_id, stream_id);
CREATE INDEX account_data_user_stream ON account_data (user_id, stream_id);
CREATE INDEX presence_stream ON presence (stream_id);

-- Transaction IDs of PUT /sendToDevice already applied, so a retry delivers nothing twice. Messages themselves
-- are deleted once acknowledged, so they cannot carry this record.
CREATE TABLE to_device_txns (
    sender      TEXT NOT NULL,                   -- the sending user
    device_id   TEXT NOT NULL,                   -- the sending device
    txn_id      TEXT NOT NULL,                   -- the client's transaction ID
    created_ts  BIGINT NOT NULL,                 -- ms since epoch, for pruning
    PRIMARY KEY (sender, device_id, txn_id)
);
