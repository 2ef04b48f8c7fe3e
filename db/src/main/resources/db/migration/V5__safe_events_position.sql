-- The events stream position that /sync hands out must never pass an event that is still being written.
-- Stream orderings come from stream_ordering_seq, so concurrent transactions may commit out of order: ordering 10
-- can commit after 11, and a reader that took MAX(stream_ordering) = 11 as its position would never return 10.
--
-- Writers therefore register every ordering they hold as a transaction-scoped advisory lock: other sessions see it
-- in pg_locks, and COMMIT, ROLLBACK or a crashed backend release it. Readers take the highest committed ordering
-- below every ordering still registered. A gate lock (shared for writers, exclusive for readers) closes the gap
-- between a writer's nextval and its registration, so a reader never looks in between.
--
-- Keys: orderings use the bigint form (0x4D59 << 48 | ordering; pg_locks shows it as classid/objid with
-- objsubid = 1); the gate uses the two-int form (19801, 1) (objsubid = 2). 0x4D59 = 19801 = "MY".

CREATE FUNCTION myelin_next_stream_ordering() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    ordering bigint;
BEGIN
    PERFORM pg_advisory_lock_shared(19801, 1);
    BEGIN
        ordering := nextval('stream_ordering_seq');
        PERFORM pg_advisory_xact_lock((19801::bigint << 48) | ordering);
    EXCEPTION WHEN OTHERS THEN
        PERFORM pg_advisory_unlock_shared(19801, 1);
        RAISE;
    END;
    PERFORM pg_advisory_unlock_shared(19801, 1);
    RETURN ordering;
END
$$;

CREATE FUNCTION myelin_events_position() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    committed bigint;
    in_flight bigint;
BEGIN
    PERFORM pg_advisory_lock(19801, 1);
    BEGIN
        SELECT COALESCE(MAX(stream_ordering), 0) INTO committed FROM events;
        SELECT MIN(((classid::bigint & 65535) << 32) | objid::bigint) INTO in_flight FROM pg_locks
        WHERE locktype = 'advisory' AND objsubid = 1 AND (classid::bigint >> 16) = 19801 AND granted;
    EXCEPTION WHEN OTHERS THEN
        PERFORM pg_advisory_unlock(19801, 1);
        RAISE;
    END;
    PERFORM pg_advisory_unlock(19801, 1);
    RETURN CASE WHEN in_flight IS NULL THEN committed ELSE LEAST(committed, in_flight - 1) END;
END
$$;
