-- Push notifications (issue #10 §1; docs/architecture.md "Push"): where rule evaluation stands, the notifications
-- it produced per user, pushers, and the queue of deliveries to push gateways.

-- How far push rules have been evaluated along the events stream. One row; the node holding the lease evaluates,
-- and each batch advances processed_stream only if it still starts where the batch started (compare-and-set), in
-- the transaction that writes the batch's notifications, so every event is evaluated exactly once. An existing
-- database starts from its current events: older events are not notified about.
CREATE TABLE push_evaluation (
    id                INTEGER PRIMARY KEY CHECK (id = 1),
    processed_stream  BIGINT NOT NULL,
    lease_owner       TEXT,
    lease_until_ts    BIGINT NOT NULL DEFAULT 0
);
INSERT INTO push_evaluation (id, processed_stream) SELECT 1, COALESCE(MAX(stream_ordering), 0) FROM events;

-- One row per (user, event) that notified the user: the matching rule's actions, whether it highlights, the thread
-- it counts in ('main' or the thread root's event ID) and the position on the 'notifications' stream under which
-- it was written (so /sync can tell which rooms' counts changed).
CREATE TABLE event_push_actions (
    user_id             TEXT NOT NULL,
    event_id            TEXT NOT NULL,
    room_id             TEXT NOT NULL,
    stream_ordering     BIGINT NOT NULL,
    thread_id           TEXT NOT NULL,
    actions             JSONB NOT NULL,
    highlight           BOOLEAN NOT NULL,
    ts                  BIGINT NOT NULL,
    notification_stream BIGINT NOT NULL,
    PRIMARY KEY (user_id, event_id)
);
CREATE INDEX event_push_actions_unread ON event_push_actions (user_id, room_id, thread_id, stream_ordering);
CREATE INDEX event_push_actions_list ON event_push_actions (user_id, stream_ordering);
CREATE INDEX event_push_actions_changes ON event_push_actions (user_id, notification_stream);

INSERT INTO stream_positions (stream, position) VALUES ('notifications', 1);

-- Every push rule change rewrites the user's m.push_rules account data with a new position: evaluation asks for
-- the changes since it last looked, before each batch, so a change committed before an event applies to it.
CREATE INDEX account_data_push_rules ON account_data (stream_id) WHERE type = 'm.push_rules' AND room_id = '';

-- "When the user updates their read receipt (either by using the API or by sending an event), notifications prior
-- to and including that event MUST be marked as read": the latest event each local user sent per room and thread,
-- counted like a receipt in that thread. Written by the evaluation, in the batch's transaction.
CREATE TABLE push_sent_reads (
    user_id          TEXT NOT NULL,
    room_id          TEXT NOT NULL,
    thread_id        TEXT NOT NULL,
    stream_ordering  BIGINT NOT NULL,
    notification_stream BIGINT NOT NULL,
    PRIMARY KEY (user_id, room_id, thread_id)
);
CREATE INDEX push_sent_reads_changes ON push_sent_reads (user_id, notification_stream);

-- Pushers (POST /pushers/set). V1's sketch had only (user, app, pushkey, data); none were ever written. A pusher
-- belongs to the device whose access token set it and goes when that device is deleted or logged out (as
-- Synapse removes pushers with their access tokens). retry_after_ts holds deliveries back while its gateway fails.
DROP TABLE pushers;
CREATE TABLE pushers (
    id                   BIGSERIAL PRIMARY KEY,
    user_id              TEXT NOT NULL,
    device_id            TEXT NOT NULL,
    kind                 TEXT NOT NULL,
    app_id               TEXT NOT NULL,
    pushkey              TEXT NOT NULL,
    app_display_name     TEXT NOT NULL,
    device_display_name  TEXT NOT NULL,
    profile_tag          TEXT,
    lang                 TEXT NOT NULL,
    data                 JSONB NOT NULL,
    pushkey_ts           BIGINT NOT NULL,
    failures             INTEGER NOT NULL DEFAULT 0,
    retry_after_ts       BIGINT NOT NULL DEFAULT 0,
    UNIQUE (user_id, app_id, pushkey),
    FOREIGN KEY (user_id, device_id) REFERENCES devices (user_id, device_id) ON DELETE CASCADE
);
CREATE INDEX pushers_app_pushkey ON pushers (app_id, pushkey);

-- One delivery of one notification to one pusher. Written with the notification; a node claims due rows with
-- FOR UPDATE SKIP LOCKED and a lease, so one node sends each, and deletes it once the gateway accepted it (or it
-- was given up); a failure sets next_attempt_ts by exponential backoff.
CREATE TABLE push_deliveries (
    id               BIGSERIAL PRIMARY KEY,
    pusher_id        BIGINT NOT NULL REFERENCES pushers (id) ON DELETE CASCADE,
    user_id          TEXT NOT NULL,
    event_id         TEXT NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_ts  BIGINT NOT NULL DEFAULT 0,
    lease_owner      TEXT,
    lease_until_ts   BIGINT NOT NULL DEFAULT 0,
    created_ts       BIGINT NOT NULL
);
CREATE INDEX push_deliveries_due ON push_deliveries (next_attempt_ts, id);
CREATE INDEX push_deliveries_pusher ON push_deliveries (pusher_id);
