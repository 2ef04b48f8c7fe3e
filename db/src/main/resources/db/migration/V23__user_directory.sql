-- The user directory (POST /user_directory/search, issue #10 §2), kept up to date by triggers so that every
-- writer of profiles, memberships and current state (local requests, federation, room upgrades) updates it.
--
-- user_directory: one row per user known to this server: local users from their profile (a change of display
-- name or avatar rewrites it), remote users from their latest join event in any room (a remote user's profile is
-- what their member event says). Who a searcher may find is decided when searching: users sharing a joined room
-- with them, users joined to a room in user_directory_public_rooms, or everyone with
-- myelin.user-directory.search-all-users (UserDirectoryRepository).
CREATE TABLE user_directory (
    user_id       TEXT PRIMARY KEY,
    local         BOOLEAN NOT NULL,
    display_name  TEXT,
    avatar_url    TEXT,
    vector        TSVECTOR NOT NULL
);
CREATE INDEX user_directory_vector ON user_directory USING GIN (vector);

-- Rooms whose current join rule is public or whose history is world_readable: their members are visible to
-- every searcher (the spec's minimum).
CREATE TABLE user_directory_public_rooms (
    room_id  TEXT PRIMARY KEY
);

-- Words at white space and ASCII punctuation, lower-cased: the protocol core's DirectoryTerms cuts a search term
-- the same way.
CREATE FUNCTION myelin_user_directory_words(value TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
    SELECT regexp_replace(lower(coalesce(value, '')), '[\s!-/:-@\[-`{-~]+', ' ', 'g')
$$;

-- The localpart's words weigh most, then the display name's, then the server name's.
CREATE FUNCTION myelin_user_directory_vector(user_id TEXT, display_name TEXT) RETURNS TSVECTOR LANGUAGE sql
IMMUTABLE AS $$
    SELECT setweight(to_tsvector('simple', myelin_user_directory_words(split_part(substr(user_id, 2), ':', 1))), 'A')
        || setweight(to_tsvector('simple', myelin_user_directory_words(display_name)), 'B')
        || setweight(to_tsvector('simple', myelin_user_directory_words(substr(user_id, strpos(user_id, ':') + 1))),
                     'D')
$$;

CREATE FUNCTION myelin_user_directory_profile() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO user_directory (user_id, local, display_name, avatar_url, vector)
    VALUES (NEW.user_id, TRUE, NEW.displayname, NEW.avatar_url,
            myelin_user_directory_vector(NEW.user_id, NEW.displayname))
    ON CONFLICT (user_id) DO UPDATE SET local = TRUE, display_name = EXCLUDED.display_name,
        avatar_url = EXCLUDED.avatar_url, vector = EXCLUDED.vector;
    RETURN NULL;
END
$$;
CREATE TRIGGER user_directory_profiles AFTER INSERT OR UPDATE OF displayname, avatar_url ON profiles
    FOR EACH ROW EXECUTE FUNCTION myelin_user_directory_profile();

-- A remote user's join (or a new join event changing their profile) writes their row; local users keep theirs.
CREATE FUNCTION myelin_user_directory_member() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    content JSONB;
    name TEXT;
    avatar TEXT;
BEGIN
    IF NEW.membership <> 'join' OR EXISTS (SELECT 1 FROM users WHERE user_id = NEW.user_id) THEN
        RETURN NULL;
    END IF;
    SELECT CAST(json AS JSONB) -> 'content' INTO content FROM events WHERE event_id = NEW.event_id;
    IF content IS NULL THEN
        RETURN NULL;
    END IF;
    name := CASE WHEN jsonb_typeof(content -> 'displayname') = 'string' THEN content ->> 'displayname' END;
    avatar := CASE WHEN jsonb_typeof(content -> 'avatar_url') = 'string' THEN content ->> 'avatar_url' END;
    INSERT INTO user_directory (user_id, local, display_name, avatar_url, vector)
    VALUES (NEW.user_id, FALSE, name, avatar, myelin_user_directory_vector(NEW.user_id, name))
    ON CONFLICT (user_id) DO UPDATE SET display_name = EXCLUDED.display_name, avatar_url = EXCLUDED.avatar_url,
        vector = EXCLUDED.vector
        WHERE NOT user_directory.local;
    RETURN NULL;
END
$$;
CREATE TRIGGER user_directory_memberships AFTER INSERT OR UPDATE OF membership, event_id ON room_memberships
    FOR EACH ROW EXECUTE FUNCTION myelin_user_directory_member();

CREATE FUNCTION myelin_user_directory_room_public(room TEXT) RETURNS BOOLEAN LANGUAGE sql STABLE AS $$
    SELECT EXISTS (
        SELECT 1 FROM current_state cs JOIN events e ON e.event_id = cs.event_id
        WHERE cs.room_id = room AND cs.state_key = ''
          AND (cs.type = 'm.room.join_rules' AND CAST(e.json AS JSONB) #>> '{content,join_rule}' = 'public'
               OR cs.type = 'm.room.history_visibility'
                  AND CAST(e.json AS JSONB) #>> '{content,history_visibility}' = 'world_readable'))
$$;

CREATE FUNCTION myelin_user_directory_room() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    room TEXT := CASE WHEN TG_OP = 'DELETE' THEN OLD.room_id ELSE NEW.room_id END;
BEGIN
    IF myelin_user_directory_room_public(room) THEN
        INSERT INTO user_directory_public_rooms (room_id) VALUES (room) ON CONFLICT DO NOTHING;
    ELSE
        DELETE FROM user_directory_public_rooms WHERE room_id = room;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER user_directory_rooms AFTER INSERT OR UPDATE ON current_state FOR EACH ROW
    WHEN (NEW.state_key = '' AND NEW.type IN ('m.room.join_rules', 'm.room.history_visibility'))
    EXECUTE FUNCTION myelin_user_directory_room();
CREATE TRIGGER user_directory_rooms_deleted AFTER DELETE ON current_state FOR EACH ROW
    WHEN (OLD.state_key = '' AND OLD.type IN ('m.room.join_rules', 'm.room.history_visibility'))
    EXECUTE FUNCTION myelin_user_directory_room();

-- What existed before this migration.
INSERT INTO user_directory (user_id, local, display_name, avatar_url, vector)
SELECT user_id, TRUE, displayname, avatar_url, myelin_user_directory_vector(user_id, displayname) FROM profiles;

INSERT INTO user_directory (user_id, local, display_name, avatar_url, vector)
SELECT DISTINCT ON (m.user_id) m.user_id, FALSE, p.name, p.avatar, myelin_user_directory_vector(m.user_id, p.name)
FROM room_memberships m
JOIN events e ON e.event_id = m.event_id
CROSS JOIN LATERAL (SELECT CAST(e.json AS JSONB) -> 'content' AS content) c
CROSS JOIN LATERAL (SELECT CASE WHEN jsonb_typeof(c.content -> 'displayname') = 'string'
                                THEN c.content ->> 'displayname' END AS name,
                           CASE WHEN jsonb_typeof(c.content -> 'avatar_url') = 'string'
                                THEN c.content ->> 'avatar_url' END AS avatar) p
WHERE m.membership = 'join' AND NOT EXISTS (SELECT 1 FROM users u WHERE u.user_id = m.user_id)
ORDER BY m.user_id, m.stream_ordering DESC;

INSERT INTO user_directory_public_rooms (room_id)
SELECT room_id FROM rooms WHERE myelin_user_directory_room_public(room_id);
