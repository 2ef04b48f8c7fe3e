-- Pagination of GET /_matrix/client/v1/rooms/{roomId}/hierarchy (issue #10 §4): a page's next_batch token names a
-- row holding what the walk of the space still has to do (the queue of rooms, the rooms already handled) and the
-- request it continues, so that any node can serve the next page; rows are deleted once expires_ts has passed.
CREATE TABLE space_hierarchy_sessions (
    token          TEXT PRIMARY KEY,
    user_id        TEXT NOT NULL,
    room_id        TEXT NOT NULL,
    suggested_only BOOLEAN NOT NULL,
    max_depth      INTEGER,
    walk           TEXT NOT NULL,
    expires_ts     BIGINT NOT NULL
);
CREATE INDEX space_hierarchy_sessions_by_expiry ON space_hierarchy_sessions (expires_ts);
