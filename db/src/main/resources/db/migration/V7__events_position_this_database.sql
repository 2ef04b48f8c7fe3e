-- Advisory locks are per database, but pg_locks lists every database's: V5's reader also counted orderings in
-- flight in other databases on the same server, so another Myelin (or test) database held this one's events
-- position back, and a token could even go backwards. Only this database's locks count.
CREATE OR REPLACE FUNCTION myelin_events_position() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    committed bigint;
    in_flight bigint;
BEGIN
    PERFORM pg_advisory_lock(19801, 1);
    BEGIN
        SELECT COALESCE(MAX(stream_ordering), 0) INTO committed FROM events;
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
