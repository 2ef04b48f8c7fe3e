-- The room graph forks once other servers add events to it (issue #9 §1, docs/adr/0010-one-event-pipeline.md).

-- The state before each event, next to the state after it. They differ for a state event; for an event with several
-- prev_events the state before is their resolved state, which no single prev event's group holds. Until now local
-- rooms never forked, so the state before a state event was the state after its one prev event.
ALTER TABLE event_state_groups ADD COLUMN before_group BIGINT REFERENCES state_groups (id);
COMMENT ON COLUMN event_state_groups.before_group IS
    'the state before this event (the resolved state after its prev_events); NULL for m.room.create';
UPDATE event_state_groups s
SET before_group = CASE
    WHEN e.state_key IS NULL THEN s.state_group
    ELSE (SELECT g.state_group FROM event_edges x JOIN event_state_groups g ON g.event_id = x.prev_event_id
          WHERE x.event_id = s.event_id LIMIT 1)
    END
FROM events e WHERE e.event_id = s.event_id;

-- The room's current state is the resolution of the states after its forward extremities. Each row says that from
-- this stream position on, the current state is this group; /sync reads the state at a position from here. A
-- change needs no new state event of its own: an accepted remote event can change the resolution.
CREATE TABLE room_state_changes (
    room_id          TEXT NOT NULL,
    stream_ordering  BIGINT NOT NULL,
    state_group      BIGINT NOT NULL REFERENCES state_groups (id),
    PRIMARY KEY (room_id, stream_ordering)
);
INSERT INTO room_state_changes (room_id, stream_ordering, state_group)
SELECT e.room_id, e.stream_ordering, g.state_group
FROM events e JOIN event_state_groups g ON g.event_id = e.event_id
WHERE e.state_key IS NOT NULL AND NOT e.outlier AND NOT e.soft_failed AND e.rejected_reason IS NULL;

-- Backfilled history is ordered below zero, so it never enters a live /sync window (every since token is >= 0)
-- and never moves the events position. /messages orders by topological ordering first.
CREATE SEQUENCE backfill_ordering_seq INCREMENT BY -1 START WITH -1 MAXVALUE -1;

-- Wake /sync only for events clients may see in a live window.
CREATE OR REPLACE FUNCTION myelin_notify_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT NEW.outlier AND NOT NEW.soft_failed AND NEW.rejected_reason IS NULL AND NEW.stream_ordering > 0
            AND octet_length(NEW.room_id) <= 255 THEN
        PERFORM pg_notify('myelin_streams', 'events ' || NEW.stream_ordering || ' ' || NEW.room_id);
    END IF;
    RETURN NULL;
END
$$;
