-- Room graph details the V1 sketch left open (see docs/adr/0005-room-event-pipeline.md).

-- Number of entries in the full state a group stands for, so that the writer can decide when a delta chain
-- has grown long enough to be worth a snapshot without counting the state.
ALTER TABLE state_groups ADD COLUMN state_size INTEGER NOT NULL DEFAULT 0;
COMMENT ON COLUMN state_groups.state_size IS 'entries in the full state this group represents';
COMMENT ON COLUMN state_groups.chain_len IS 'deltas to walk back to a full snapshot (0 for a snapshot)';
CREATE INDEX state_groups_prev ON state_groups (prev_group);

-- The event graph maps every event to the state AFTER it (for a message event the same as before it); the
-- state before a state event is the state after its prev_events. This supersedes the V1 column comment.
COMMENT ON COLUMN event_state_groups.state_group IS 'the state after this event (before = after for non-state events)';

-- Membership lists per room (GET /members, /joined_members) and a member's membership history marker.
CREATE INDEX room_memberships_room ON room_memberships (room_id, membership);

-- Local aliases are looked up by room too (canonical alias checks, directory listing).
CREATE INDEX room_aliases_room ON room_aliases (room_id);
