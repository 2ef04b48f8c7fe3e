-- Stream orderings for many events written in one transaction (the state of a room joined over federation: tens of
-- thousands of events). Registering each ordering as an advisory lock, as myelin_next_stream_ordering does, would
-- hold one lock per event until COMMIT, more than PostgreSQL's shared lock table has room for ("out of shared
-- memory"), and every reader of myelin_events_position would scan them all in pg_locks. Registering the lowest is
-- enough: readers stop below the lowest ordering still registered, and every other ordering of the batch is higher.
-- The same gate as in V5 closes the gap between the nextval calls and the registration.

CREATE FUNCTION myelin_next_stream_orderings(count integer) RETURNS SETOF bigint LANGUAGE plpgsql AS $$
DECLARE
    orderings bigint[];
BEGIN
    IF count < 1 THEN
        RETURN;
    END IF;
    PERFORM pg_advisory_lock_shared(19801, 1);
    BEGIN
        SELECT array_agg(o ORDER BY o) INTO orderings
        FROM (SELECT nextval('stream_ordering_seq') AS o FROM generate_series(1, count)) taken;
        PERFORM pg_advisory_xact_lock((19801::bigint << 48) | orderings[1]);
    EXCEPTION WHEN OTHERS THEN
        PERFORM pg_advisory_unlock_shared(19801, 1);
        RAISE;
    END;
    PERFORM pg_advisory_unlock_shared(19801, 1);
    RETURN QUERY SELECT unnest(orderings);
END
$$;
