package org.myelin.db.directory;

import java.util.List;

import org.myelin.db.support.Database;
import org.myelin.federation.protocol.search.DirectoryTerms;

import reactor.core.publisher.Mono;

/**
 * Searches the user directory ({@code user_directory}, V23). A searcher finds users who share a joined room with
 * them and users joined to a public or world-readable room; with {@code searchAllUsers}, every local user and
 * every remote user joined to some room here, except themselves (Synapse's {@code search_all_users}).
 * Deactivated users are never found. Ranked as Synapse ranks: a local user weighs 4 times a remote one, a
 * display name and an avatar 1.2 times each, then how well the words match (whole words 3 times prefixes,
 * localpart words before display name words before server name words).
 */
public final class UserDirectoryRepository {

    /** One user found: the display name and avatar URL are null when the user has none. */
    public record UserDirectoryRow(String userId, String displayName, String avatarUrl) {
    }

    private static final String WEIGHTS = "'{0.1, 0.1, 0.9, 1.0}'";
    private static final String SEARCH = """
            SELECT d.user_id, d.display_name, d.avatar_url FROM user_directory d
            WHERE d.vector @@ to_tsquery('simple', :prefix)
              AND NOT EXISTS (SELECT 1 FROM users u WHERE u.user_id = d.user_id AND u.deactivated)
              AND %s
            ORDER BY (CASE WHEN d.local THEN 4.0 ELSE 1.0 END)
                   * (CASE WHEN d.display_name IS NOT NULL THEN 1.2 ELSE 1.0 END)
                   * (CASE WHEN d.avatar_url IS NOT NULL THEN 1.2 ELSE 1.0 END)
                   * (3 * ts_rank_cd(%s, d.vector, to_tsquery('simple', :exact), 8)
                      + ts_rank_cd(%2$s, d.vector, to_tsquery('simple', :prefix), 8)) DESC,
                   d.display_name IS NULL, d.avatar_url IS NULL, d.user_id
            LIMIT :limit""";
    private static final String VISIBLE = """
            (EXISTS (SELECT 1 FROM room_memberships m JOIN room_memberships mine ON mine.room_id = m.room_id
                     WHERE m.user_id = d.user_id AND m.membership = 'join'
                       AND mine.user_id = :searcher AND mine.membership = 'join' AND d.user_id <> :searcher)
             OR EXISTS (SELECT 1 FROM room_memberships m JOIN user_directory_public_rooms p ON p.room_id = m.room_id
                        WHERE m.user_id = d.user_id AND m.membership = 'join'))""";
    private static final String EVERYONE = """
            d.user_id <> :searcher
            AND (d.local OR EXISTS (SELECT 1 FROM room_memberships m
                                    WHERE m.user_id = d.user_id AND m.membership = 'join'))""";

    private final Database db;
    private final boolean searchAllUsers;

    public UserDirectoryRepository(Database db, boolean searchAllUsers) {
        this.db = db;
        this.searchAllUsers = searchAllUsers;
    }

    /** The best {@code limit} users {@code searcher} may find by {@code terms}; none for a term without words. */
    public Mono<List<UserDirectoryRow>> search(String searcher, DirectoryTerms terms, int limit) {
        if (terms.isEmpty()) {
            return Mono.just(List.of());
        }
        String sql = SEARCH.formatted(searchAllUsers ? EVERYONE : VISIBLE, WEIGHTS);
        return db.many(db.sql(sql).bind("prefix", terms.prefixQuery()).bind("exact", terms.exactQuery())
                .bind("searcher", searcher).bind("limit", limit),
                r -> new UserDirectoryRow(r.string("user_id"), r.string("display_name"), r.string("avatar_url")));
    }
}
