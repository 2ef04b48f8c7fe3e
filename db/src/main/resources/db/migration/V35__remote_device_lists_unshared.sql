-- A remote user's cached device list (V17) is kept current only while they share a room with a local user: their
-- server sends m.device_list_update EDUs only to the servers in their rooms. When the last room they share with a
-- local user goes (their leave, kick or ban, or the leave of the last local user in it), the copy is marked stale,
-- so that once they share a room again /keys/query and the next update re-read it from their server instead of
-- answering with a list that missed every change in between. Local users are the rows of users (as in V23).
CREATE FUNCTION myelin_remote_device_lists_unshared() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE remote_device_lists l SET stale = TRUE
    WHERE NOT l.stale
      AND l.user_id IN (SELECT NEW.user_id
                        UNION ALL
                        SELECT m.user_id FROM room_memberships m
                        WHERE m.room_id = NEW.room_id AND m.membership = 'join'
                          AND EXISTS (SELECT 1 FROM users WHERE user_id = NEW.user_id))
      AND NOT EXISTS (SELECT 1 FROM room_memberships a JOIN room_memberships b ON b.room_id = a.room_id
                      JOIN users u ON u.user_id = b.user_id
                      WHERE a.user_id = l.user_id AND a.membership = 'join' AND b.membership = 'join');
    RETURN NULL;
END
$$;
CREATE TRIGGER remote_device_lists_unshared AFTER UPDATE OF membership ON room_memberships FOR EACH ROW
    WHEN (OLD.membership = 'join' AND NEW.membership <> 'join')
    EXECUTE FUNCTION myelin_remote_device_lists_unshared();
