-- End-to-end encryption keys (docs/architecture.md "End-to-end encryption"): device keys, one-time and fallback
-- keys, cross-signing keys and the signatures uploaded for them, the "device_lists" sync stream and key backups.

-- Device keys: one row per device, the object as uploaded (canonical JSON). Signatures uploaded later through
-- /keys/signatures/upload live in cross_signing_signatures and are merged in when the keys are read.
COMMENT ON TABLE device_keys IS 'A device''s identity keys as uploaded, canonical JSON';

-- One-time keys are handed out once and deleted then; fallback keys have their own table (one per algorithm,
-- kept and marked used when handed out).
ALTER TABLE one_time_keys DROP COLUMN fallback, DROP COLUMN used;

CREATE TABLE fallback_keys (
    user_id    TEXT NOT NULL,
    device_id  TEXT NOT NULL,
    algorithm  TEXT NOT NULL,                 -- e.g. signed_curve25519
    key_id     TEXT NOT NULL,                 -- the part after "<algorithm>:"
    key_json   TEXT NOT NULL,                 -- the key as uploaded, canonical JSON
    used       BOOLEAN NOT NULL DEFAULT FALSE, -- handed out by /keys/claim since it was uploaded
    PRIMARY KEY (user_id, device_id, algorithm)
);

-- Signatures of a device or cross-signing key made by another key (a device signing its master key, the
-- self-signing key signing a device, a user-signing key signing another user's master key).
CREATE TABLE cross_signing_signatures (
    signer_user_id  TEXT NOT NULL,            -- whose key signed
    signer_key_id   TEXT NOT NULL,            -- e.g. ed25519:<public key> or ed25519:<device ID>
    target_user_id  TEXT NOT NULL,            -- whose key was signed
    target_key_id   TEXT NOT NULL,            -- the device ID, or the master key's public key
    signature       TEXT NOT NULL,            -- unpadded base64
    PRIMARY KEY (target_user_id, target_key_id, signer_user_id, signer_key_id)
);

-- The "device_lists" stream: one row per change of a user's devices or cross-signing keys. visible_to NULL: every
-- user sharing a room with user_id learns of it; otherwise only that user (their own user-signing key, or their
-- signature of another user's key). stream_id comes from stream_positions, not from the column's sequence.
ALTER TABLE device_list_changes ADD COLUMN visible_to TEXT;
CREATE INDEX device_list_changes_user ON device_list_changes (user_id, stream_id);
INSERT INTO stream_positions (stream, position) VALUES ('device_lists', 1);

-- Server-side key backups: versions (the newest not deleted is the current one) and the session keys in them.
CREATE SEQUENCE room_key_backup_version_seq;
CREATE TABLE room_key_backups (
    user_id    TEXT NOT NULL,
    version    BIGINT NOT NULL,               -- from room_key_backup_version_seq; sent as a string
    algorithm  TEXT NOT NULL,
    auth_data  TEXT NOT NULL,                 -- JSON object
    etag       BIGINT NOT NULL DEFAULT 0,     -- advanced by every change of the backup's keys
    deleted    BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (user_id, version)
);

CREATE TABLE room_key_backup_keys (
    user_id              TEXT NOT NULL,
    version              BIGINT NOT NULL,
    room_id              TEXT NOT NULL,
    session_id           TEXT NOT NULL,
    first_message_index  BIGINT NOT NULL,
    forwarded_count      BIGINT NOT NULL,
    is_verified          BOOLEAN NOT NULL,
    session_data         TEXT NOT NULL,       -- JSON object
    PRIMARY KEY (user_id, version, room_id, session_id),
    FOREIGN KEY (user_id, version) REFERENCES room_key_backups (user_id, version) ON DELETE CASCADE
);

-- Dehydrated devices (MSC3814, not in v1.19; as Synapse serves it under org.matrix.msc3814.v1): at most one per
-- user, a device of its own in devices (so to-device messages reach it) whose encrypted state the server keeps.
CREATE TABLE dehydrated_devices (
    user_id      TEXT PRIMARY KEY,
    device_id    TEXT NOT NULL,
    device_data  TEXT NOT NULL                -- JSON object, opaque to the server
);
