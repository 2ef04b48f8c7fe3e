-- Invites of local users to rooms this server is not in: the invite event (countersigned by this server) and the
-- stripped state the inviting server sent, shown in the invitee's /sync until they join or reject.
CREATE TABLE remote_invites (
    room_id         TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    event_id        TEXT NOT NULL,
    room_version    TEXT NOT NULL,
    event_json      TEXT NOT NULL,
    stripped_state  TEXT NOT NULL,
    stream_ordering BIGINT NOT NULL,
    PRIMARY KEY (room_id, user_id)
);
