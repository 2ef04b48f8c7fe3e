-- Other servers this one sends to, each with how far its events have been delivered, its backoff after failures,
-- and which node holds the lease to send to it (so one node sends to a destination at a time, and another takes
-- over when the lease runs out).
CREATE TABLE federation_destinations (
    destination       TEXT PRIMARY KEY,
    last_sent_stream  BIGINT NOT NULL,
    failures          INTEGER NOT NULL DEFAULT 0,
    retry_after_ts    BIGINT NOT NULL DEFAULT 0,
    lease_owner       TEXT,
    lease_until_ts    BIGINT NOT NULL DEFAULT 0,
    txn_counter       BIGINT NOT NULL DEFAULT 0
);
