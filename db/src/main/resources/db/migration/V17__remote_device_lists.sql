-- Other servers' users' device lists, cached for the local users sharing a room with them: kept current by
-- m.device_list_update / m.signing_key_update EDUs, and re-read with /user/devices when an update's prev_id shows
-- a gap (stale) or nothing is cached yet. stream_id is the remote server's device-list stream position.
CREATE TABLE remote_device_lists (
    user_id           TEXT PRIMARY KEY,
    stream_id         BIGINT NOT NULL,
    stale             BOOLEAN NOT NULL DEFAULT FALSE,
    master_key        TEXT,
    self_signing_key  TEXT,
    updated_ts        BIGINT NOT NULL
);
CREATE TABLE remote_device_keys (
    user_id       TEXT NOT NULL,
    device_id     TEXT NOT NULL,
    key_json      TEXT NOT NULL,
    display_name  TEXT,
    PRIMARY KEY (user_id, device_id)
);
