-- An invite to a room this server is not in (remote_invites, V18) takes a stream ordering like an event, so that
-- /sync shows it at that position; the events position therefore counts the highest committed invite too.
CREATE INDEX remote_invites_stream ON remote_invites (stream_ordering);

CREATE OR REPLACE FUNCTION myelin_events_position() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    committed bigint;
    in_flight bigint;
BEGIN
    PERFORM pg_advisory_lock(19801, 1);
    BEGIN
        SELECT GREATEST(COALESCE((SELECT MAX(stream_ordering) FROM events), 0),
                        COALESCE((SELECT MAX(stream_ordering) FROM remote_invites), 0)) INTO committed;
        SELECT MIN(((classid::bigint & 65535) << 32) | objid::bigint) INTO in_flight FROM pg_locks
        WHERE locktype = 'advisory' AND objsubid = 1 AND (classid::bigint >> 16) = 19801 AND granted
          AND database = (SELECT oid FROM pg_database WHERE datname = current_database());
    EXCEPTION WHEN OTHERS THEN
        PERFORM pg_advisory_unlock(19801, 1);
        RAISE;
    END;
    PERFORM pg_advisory_unlock(19801, 1);
    RETURN CASE WHEN in_flight IS NULL THEN committed ELSE LEAST(committed, in_flight - 1) END;
END
$$;
