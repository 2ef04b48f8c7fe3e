-- /sync (docs/adr/0006-cross-node-wakeups.md): wake-ups for the events stream, and the index that finds a
-- user's changed memberships without reading every membership they have.

-- Every accepted event publishes "events <stream_ordering> <room_id>" on the channel StreamNotifier listens to
-- (StreamNotifier.DEFAULT_CHANNEL). A trigger runs inside the writing transaction, so PostgreSQL delivers the
-- notification at COMMIT, after the event is visible, and drops it on ROLLBACK; and every writer of the events
-- table (room creation, sends, membership changes, redactions, upgrades, later federation) publishes without
-- having to remember to.
CREATE FUNCTION myelin_notify_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT NEW.outlier AND octet_length(NEW.room_id) <= 255 THEN
        PERFORM pg_notify('myelin_streams', 'events ' || NEW.stream_ordering || ' ' || NEW.room_id);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER events_notify AFTER INSERT ON events FOR EACH ROW EXECUTE FUNCTION myelin_notify_event();

-- A membership change also publishes "events <stream_ordering> <user_id>": the user's /sync must wake for a
-- room it is not (yet) in, such as an invite.
CREATE FUNCTION myelin_notify_membership() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF octet_length(NEW.user_id) <= 255 THEN
        PERFORM pg_notify('myelin_streams', 'events ' || NEW.stream_ordering || ' ' || NEW.user_id);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER room_memberships_notify AFTER INSERT OR UPDATE OF membership, stream_ordering ON room_memberships
    FOR EACH ROW EXECUTE FUNCTION myelin_notify_membership();

-- An incremental /sync reads the memberships a user changed since its token: (user, stream) finds them directly.
CREATE INDEX room_memberships_user_stream ON room_memberships (user_id, stream_ordering);
