-- Reports of rooms (POST /rooms/{roomId}/report, v1.13) and users (POST /users/{userId}/report, v1.14) for the
-- server's administrators, beside the event reports of V1.
CREATE TABLE room_reports (
    id          BIGSERIAL PRIMARY KEY,
    room_id     TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    reason      TEXT NOT NULL,
    created_ts  BIGINT NOT NULL
);

CREATE TABLE user_reports (
    id              BIGSERIAL PRIMARY KEY,
    target_user_id  TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    reason          TEXT NOT NULL,
    created_ts      BIGINT NOT NULL
);
