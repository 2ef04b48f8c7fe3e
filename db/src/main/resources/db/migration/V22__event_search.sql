-- Server-side search (POST /search, issue #10 §2) on PostgreSQL full-text search, no external engine.
--
-- event_search holds one row per searchable event: the text of content.body (m.room.message), content.name
-- (m.room.name) or content.topic (m.room.topic) as a tsvector, with a GIN index. EventRepository.insert, the one
-- place events are stored (local, received over federation, backfilled), adds the row for every accepted event
-- (never an outlier, a rejected or a soft-failed one); a redaction deletes it (RedactionRepository).

-- The text search configuration the vectors were made with, so that queries parse their terms the same way. The
-- homeserver sets it at start-up from myelin.search.text-search-config and re-indexes when it changed. Stored as
-- text, not regconfig: pg_upgrade refuses reg* columns other than regclass, regrole and regtype.
CREATE TABLE event_search_settings (
    singleton           BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (singleton),
    text_search_config  TEXT NOT NULL
);
INSERT INTO event_search_settings (text_search_config) VALUES ('english');

CREATE TABLE event_search (
    event_id          TEXT PRIMARY KEY REFERENCES events (event_id) ON DELETE CASCADE,
    room_id           TEXT NOT NULL,
    key               TEXT NOT NULL,                -- content.body, content.name or content.topic
    vector            TSVECTOR NOT NULL,
    origin_server_ts  BIGINT NOT NULL,
    stream_ordering   BIGINT NOT NULL
);
CREATE INDEX event_search_vector ON event_search USING GIN (vector);

INSERT INTO event_search (event_id, room_id, key, vector, origin_server_ts, stream_ordering)
SELECT e.event_id, e.room_id, k.key, to_tsvector('english', CAST(e.json AS JSONB) #>> k.path), e.origin_server_ts,
       e.stream_ordering
FROM events e
JOIN (VALUES ('m.room.message', 'content.body', '{content,body}'::text[]),
             ('m.room.name', 'content.name', '{content,name}'::text[]),
             ('m.room.topic', 'content.topic', '{content,topic}'::text[])) AS k (type, key, path) ON k.type = e.type
WHERE NOT e.outlier AND NOT e.soft_failed AND e.rejected_reason IS NULL AND e.redacted_by IS NULL
  AND jsonb_typeof(CAST(e.json AS JSONB) #> k.path) = 'string';
