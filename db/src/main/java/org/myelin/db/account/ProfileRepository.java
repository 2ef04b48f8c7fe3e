package org.myelin.db.account;

import org.myelin.db.support.Database;

import io.r2dbc.postgresql.codec.Json;
import reactor.core.publisher.Mono;

/**
 * Profiles: {@code displayname} and {@code avatar_url} have their own columns, every other profile field
 * lives in the {@code fields} JSON object.
 */
public final class ProfileRepository {

    /** The stored profile; {@code fieldsJson} is a JSON object of the custom fields. */
    public record ProfileRow(String displayname, String avatarUrl, String fieldsJson) {
    }

    private static final String SELECT = """
            SELECT p.displayname, p.avatar_url, p.fields FROM profiles p JOIN users u ON u.user_id = p.user_id
            WHERE p.user_id = :userId AND NOT u.deactivated""";
    private static final String SET_DISPLAYNAME = "UPDATE profiles SET displayname = :v WHERE user_id = :userId";
    private static final String SET_AVATAR = "UPDATE profiles SET avatar_url = :v WHERE user_id = :userId";
    private static final String SET_FIELD = """
            UPDATE profiles SET fields = jsonb_set(fields, ARRAY[:key], :value::jsonb) WHERE user_id = :userId""";
    private static final String DELETE_FIELD = "UPDATE profiles SET fields = fields - :key WHERE user_id = :userId";

    private final Database db;

    public ProfileRepository(Database db) {
        this.db = db;
    }

    /** The profile of an active local user, or empty. */
    public Mono<ProfileRow> find(String userId) {
        return db.one(db.sql(SELECT).bind("userId", userId),
                r -> new ProfileRow(r.string("displayname"), r.string("avatar_url"), r.json("fields")));
    }

    /** Sets (or with null, clears) the displayname. */
    public Mono<Long> setDisplayname(String userId, String value) {
        return db.update(Database.bindNullable(db.sql(SET_DISPLAYNAME).bind("userId", userId), "v", value,
                String.class));
    }

    /** Sets (or with null, clears) the avatar URL. */
    public Mono<Long> setAvatarUrl(String userId, String value) {
        return db.update(Database.bindNullable(db.sql(SET_AVATAR).bind("userId", userId), "v", value,
                String.class));
    }

    /** Sets one custom field to a JSON value. */
    public Mono<Long> setField(String userId, String key, String jsonValue) {
        return db.update(db.sql(SET_FIELD).bind("userId", userId).bind("key", key).bind("value", Json.of(jsonValue)));
    }

    public Mono<Long> deleteField(String userId, String key) {
        return db.update(db.sql(DELETE_FIELD).bind("userId", userId).bind("key", key));
    }
}
