-- Myelin schema, version 1: a sketch of the whole homeserver. Later migrations only add (forward-only,
-- expand/contract). Event JSON is stored as TEXT exactly as signed (canonical bytes), with extracted
-- index columns beside it (docs/adr/0002).

------------------------------------------------------------------------------------------------------
-- Accounts
------------------------------------------------------------------------------------------------------
CREATE TABLE users (
    user_id        TEXT PRIMARY KEY,              -- full Matrix ID, @localpart:server
    localpart      TEXT NOT NULL UNIQUE,          -- lower-case localpart; registrations are local only
    password_hash  TEXT,                          -- PHC string ($argon2id$...), NULL for password-less users
    admin          BOOLEAN NOT NULL DEFAULT FALSE,
    deactivated    BOOLEAN NOT NULL DEFAULT FALSE,
    created_ts     BIGINT NOT NULL                -- ms since epoch
);

CREATE TABLE profiles (
    user_id     TEXT PRIMARY KEY REFERENCES users (user_id),
    displayname TEXT,
    avatar_url  TEXT,
    fields      JSONB NOT NULL DEFAULT '{}'       -- custom profile fields (spec "Profiles", v1.16+)
);

CREATE TABLE devices (
    user_id       TEXT NOT NULL REFERENCES users (user_id),
    device_id     TEXT NOT NULL,
    display_name  TEXT,
    created_ts    BIGINT NOT NULL,
    last_seen_ts  BIGINT,
    last_seen_ip  TEXT,
    PRIMARY KEY (user_id, device_id)
);

-- Refresh tokens rotate: using one issues its successor (next_token_id) and a new access token.
CREATE TABLE refresh_tokens (
    id             BIGSERIAL PRIMARY KEY,
    token_hash     BYTEA NOT NULL UNIQUE,         -- SHA-256 of the token; the token itself is never stored
    user_id        TEXT NOT NULL REFERENCES users (user_id),
    device_id      TEXT NOT NULL,
    next_token_id  BIGINT REFERENCES refresh_tokens (id) ON DELETE CASCADE,
    created_ts     BIGINT NOT NULL,
    expires_ts     BIGINT                          -- NULL: valid until used or revoked
);

CREATE TABLE access_tokens (
    id                BIGSERIAL PRIMARY KEY,
    token_hash        BYTEA NOT NULL UNIQUE,      -- SHA-256 of the token; the token itself is never stored
    user_id           TEXT NOT NULL REFERENCES users (user_id),
    device_id         TEXT NOT NULL,
    refresh_token_id  BIGINT REFERENCES refresh_tokens (id) ON DELETE CASCADE,
    created_ts        BIGINT NOT NULL,
    expires_ts        BIGINT                       -- NULL: no expiry (clients that did not ask for refresh)
);
CREATE INDEX access_tokens_user_device ON access_tokens (user_id, device_id);
CREATE INDEX refresh_tokens_user_device ON refresh_tokens (user_id, device_id);

-- User-Interactive Authentication sessions live in the database so any node can continue a flow.
CREATE TABLE uia_sessions (
    session_id   TEXT PRIMARY KEY,
    purpose      TEXT NOT NULL,                   -- e.g. register, password, deactivate, delete_devices
    user_id      TEXT,                            -- who started it, for authenticated endpoints
    completed    JSONB NOT NULL DEFAULT '[]',     -- stage types completed so far
    params       JSONB NOT NULL DEFAULT '{}',     -- data carried between requests (e.g. the redeemed token)
    created_ts   BIGINT NOT NULL,
    expires_ts   BIGINT NOT NULL
);

CREATE TABLE registration_tokens (
    token         TEXT PRIMARY KEY,
    uses_allowed  INTEGER,                        -- NULL: unlimited
    pending       INTEGER NOT NULL DEFAULT 0,     -- UIA sessions holding the token but not yet registered
    completed     INTEGER NOT NULL DEFAULT 0,     -- registrations that used the token
    expiry_time   BIGINT                          -- ms since epoch, NULL: never expires
);

-- Nonces for Synapse-compatible shared-secret registration (/_synapse/admin/v1/register), single-use.
CREATE TABLE registration_nonces (
    nonce       TEXT PRIMARY KEY,
    expires_ts  BIGINT NOT NULL
);

------------------------------------------------------------------------------------------------------
-- Server keys
------------------------------------------------------------------------------------------------------
CREATE TABLE server_keys (
    server_name     TEXT NOT NULL,
    key_id          TEXT NOT NULL,                 -- ed25519:<version>
    public_key      TEXT NOT NULL,                 -- unpadded base64
    valid_until_ts  BIGINT NOT NULL,
    expired_ts      BIGINT,                        -- set for old_verify_keys
    fetched_ts      BIGINT NOT NULL,
    PRIMARY KEY (server_name, key_id)
);

------------------------------------------------------------------------------------------------------
-- Rooms and the event DAG
------------------------------------------------------------------------------------------------------
CREATE SEQUENCE stream_ordering_seq;               -- the global stream ordering that /sync follows

CREATE TABLE rooms (
    room_id       TEXT PRIMARY KEY,
    room_version  TEXT NOT NULL,
    creator       TEXT,
    is_public     BOOLEAN NOT NULL DEFAULT FALSE,  -- published in the room directory
    created_ts    BIGINT NOT NULL
);

CREATE TABLE events (
    stream_ordering       BIGINT PRIMARY KEY,      -- from stream_ordering_seq
    event_id              TEXT NOT NULL UNIQUE,
    room_id               TEXT NOT NULL REFERENCES rooms (room_id),
    type                  TEXT NOT NULL,
    state_key             TEXT,                    -- NULL for message events
    sender                TEXT NOT NULL,
    depth                 BIGINT NOT NULL,
    topological_ordering  BIGINT NOT NULL,         -- depth, for /messages pagination
    origin_server_ts      BIGINT NOT NULL,
    json                  TEXT NOT NULL,           -- the event exactly as signed (canonical JSON)
    outlier               BOOLEAN NOT NULL DEFAULT FALSE,
    rejected_reason       TEXT,
    soft_failed           BOOLEAN NOT NULL DEFAULT FALSE,
    redacted_by           TEXT,
    relates_to_id         TEXT,                    -- content.m.relates_to.event_id
    relation_type         TEXT,                    -- content.m.relates_to.rel_type
    txn_id                TEXT,                    -- client transaction id, for local echo
    sender_device_id      TEXT
);
CREATE INDEX events_room_topo ON events (room_id, topological_ordering, stream_ordering);
CREATE INDEX events_room_stream ON events (room_id, stream_ordering);
CREATE INDEX events_relates ON events (relates_to_id, relation_type) WHERE relates_to_id IS NOT NULL;

CREATE TABLE event_edges (
    event_id       TEXT NOT NULL,
    prev_event_id  TEXT NOT NULL,
    PRIMARY KEY (event_id, prev_event_id)
);
CREATE INDEX event_edges_prev ON event_edges (prev_event_id);

CREATE TABLE event_auth_edges (
    event_id       TEXT NOT NULL,
    auth_event_id  TEXT NOT NULL,
    PRIMARY KEY (event_id, auth_event_id)
);

CREATE TABLE forward_extremities (
    room_id   TEXT NOT NULL,
    event_id  TEXT NOT NULL,
    PRIMARY KEY (room_id, event_id)
);

-- State is stored as delta-based groups: a group lists only the entries that differ from prev_group,
-- so a 100k-entry room state is not copied per event (see docs/architecture.md "State storage").
CREATE TABLE state_groups (
    id          BIGSERIAL PRIMARY KEY,
    room_id     TEXT NOT NULL,
    prev_group  BIGINT REFERENCES state_groups (id),
    chain_len   INTEGER NOT NULL DEFAULT 0          -- deltas to walk back to a full snapshot
);

CREATE TABLE state_group_entries (
    state_group  BIGINT NOT NULL REFERENCES state_groups (id),
    type         TEXT NOT NULL,
    state_key    TEXT NOT NULL,
    event_id     TEXT,                              -- NULL: entry removed relative to prev_group
    PRIMARY KEY (state_group, type, state_key)
);

CREATE TABLE event_state_groups (
    event_id     TEXT PRIMARY KEY,                  -- state BEFORE this event (and after, for non-state events)
    state_group  BIGINT NOT NULL REFERENCES state_groups (id)
);

CREATE TABLE current_state (
    room_id    TEXT NOT NULL,
    type       TEXT NOT NULL,
    state_key  TEXT NOT NULL,
    event_id   TEXT NOT NULL,
    PRIMARY KEY (room_id, type, state_key)
);

CREATE TABLE room_memberships (
    room_id          TEXT NOT NULL,
    user_id          TEXT NOT NULL,
    membership       TEXT NOT NULL,                 -- join, invite, leave, ban, knock
    event_id         TEXT NOT NULL,
    stream_ordering  BIGINT NOT NULL,
    forgotten        BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (room_id, user_id)
);
CREATE INDEX room_memberships_user ON room_memberships (user_id, membership);

CREATE TABLE room_aliases (
    room_alias  TEXT PRIMARY KEY,
    room_id     TEXT NOT NULL,
    creator     TEXT NOT NULL
);

-- Client transaction ids (PUT .../send/{type}/{txnId}) make sends idempotent per device.
CREATE TABLE client_transactions (
    user_id     TEXT NOT NULL,
    device_id   TEXT NOT NULL,
    txn_id      TEXT NOT NULL,
    path        TEXT NOT NULL,
    response    JSONB NOT NULL,
    created_ts  BIGINT NOT NULL,
    PRIMARY KEY (user_id, device_id, path, txn_id)
);

CREATE TABLE event_reports (
    id          BIGSERIAL PRIMARY KEY,
    room_id     TEXT NOT NULL,
    event_id    TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    reason      TEXT,
    score       INTEGER,
    created_ts  BIGINT NOT NULL
);

------------------------------------------------------------------------------------------------------
-- Per-user streams (sync): account data, receipts, to-device, presence, device lists, filters
------------------------------------------------------------------------------------------------------
CREATE TABLE account_data (
    user_id    TEXT NOT NULL,
    room_id    TEXT NOT NULL DEFAULT '',            -- '' for global account data
    type       TEXT NOT NULL,
    content    JSONB NOT NULL,
    stream_id  BIGINT NOT NULL,
    PRIMARY KEY (user_id, room_id, type)
);

CREATE TABLE receipts (
    room_id       TEXT NOT NULL,
    receipt_type  TEXT NOT NULL,                    -- m.read, m.read.private
    user_id       TEXT NOT NULL,
    thread_id     TEXT NOT NULL DEFAULT '',         -- '' for unthreaded receipts
    event_id      TEXT NOT NULL,
    ts            BIGINT NOT NULL,
    stream_id     BIGINT NOT NULL,
    PRIMARY KEY (room_id, receipt_type, user_id, thread_id)
);

CREATE TABLE to_device_messages (
    stream_id   BIGSERIAL PRIMARY KEY,
    user_id     TEXT NOT NULL,
    device_id   TEXT NOT NULL,
    sender      TEXT NOT NULL,
    type        TEXT NOT NULL,
    content     JSONB NOT NULL,
    txn_key     TEXT                                -- sender/device/txn, for idempotent sends
);
CREATE INDEX to_device_target ON to_device_messages (user_id, device_id, stream_id);

CREATE TABLE presence (
    user_id         TEXT PRIMARY KEY,
    state           TEXT NOT NULL,                  -- online, unavailable, offline
    status_msg      TEXT,
    last_active_ts  BIGINT NOT NULL,
    stream_id       BIGINT NOT NULL
);

CREATE TABLE device_list_changes (
    stream_id  BIGSERIAL PRIMARY KEY,
    user_id    TEXT NOT NULL,
    device_id  TEXT
);

CREATE TABLE filters (
    user_id    TEXT NOT NULL,
    filter_id  BIGSERIAL,
    filter     JSONB NOT NULL,
    PRIMARY KEY (user_id, filter_id)
);

------------------------------------------------------------------------------------------------------
-- End-to-end encryption keys
------------------------------------------------------------------------------------------------------
CREATE TABLE device_keys (
    user_id    TEXT NOT NULL,
    device_id  TEXT NOT NULL,
    key_json   TEXT NOT NULL,
    PRIMARY KEY (user_id, device_id)
);

CREATE TABLE one_time_keys (
    user_id    TEXT NOT NULL,
    device_id  TEXT NOT NULL,
    algorithm  TEXT NOT NULL,
    key_id     TEXT NOT NULL,
    key_json   TEXT NOT NULL,
    fallback   BOOLEAN NOT NULL DEFAULT FALSE,
    used       BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (user_id, device_id, algorithm, key_id)
);

CREATE TABLE cross_signing_keys (
    user_id    TEXT NOT NULL,
    key_type   TEXT NOT NULL,                       -- master, self_signing, user_signing
    key_json   TEXT NOT NULL,
    stream_id  BIGINT NOT NULL,
    PRIMARY KEY (user_id, key_type)
);

------------------------------------------------------------------------------------------------------
-- Media and push
------------------------------------------------------------------------------------------------------
CREATE TABLE media (
    server_name   TEXT NOT NULL,
    media_id      TEXT NOT NULL,
    user_id       TEXT,
    content_type  TEXT,
    upload_name   TEXT,
    size_bytes    BIGINT,
    created_ts    BIGINT NOT NULL,
    PRIMARY KEY (server_name, media_id)
);

CREATE TABLE pushers (
    user_id     TEXT NOT NULL,
    app_id      TEXT NOT NULL,
    pushkey     TEXT NOT NULL,
    data        JSONB NOT NULL,
    PRIMARY KEY (user_id, app_id, pushkey)
);

CREATE TABLE push_rules (
    user_id   TEXT NOT NULL,
    kind      TEXT NOT NULL,
    rule_id   TEXT NOT NULL,
    priority  INTEGER NOT NULL,
    rule      JSONB NOT NULL,
    enabled   BOOLEAN NOT NULL DEFAULT TRUE,
    PRIMARY KEY (user_id, kind, rule_id)
);
