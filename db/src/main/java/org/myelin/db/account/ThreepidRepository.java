package org.myelin.db.account;

import java.util.List;

import org.myelin.db.support.Database;

import reactor.core.publisher.Mono;

/** Third-party identifiers (e-mail addresses) bound to local accounts ({@code user_threepids}). */
public final class ThreepidRepository {

    /** One address of an account. */
    public record Threepid(String medium, String address, String userId, long validatedTs, long addedTs) {
    }

    private static final String INSERT = """
            INSERT INTO user_threepids (medium, address, user_id, validated_ts, added_ts)
            VALUES (:medium, :address, :userId, :validated, :added)
            ON CONFLICT (medium, address) DO UPDATE SET validated_ts = EXCLUDED.validated_ts
            WHERE user_threepids.user_id = EXCLUDED.user_id""";
    private static final String SELECT = "SELECT medium, address, user_id, validated_ts, added_ts FROM user_threepids";
    private static final String LIST = SELECT + " WHERE user_id = :userId ORDER BY added_ts, address";
    private static final String FIND = SELECT + " WHERE medium = :medium AND address = :address";
    private static final String DELETE = """
            DELETE FROM user_threepids WHERE user_id = :userId AND medium = :medium AND address = :address""";
    private static final String DELETE_ALL = "DELETE FROM user_threepids WHERE user_id = :userId";

    private final Database db;

    public ThreepidRepository(Database db) {
        this.db = db;
    }

    /**
     * Binds the address to the user (again: a renewed validation time). Emits false when another account holds it,
     * and then writes nothing.
     */
    public Mono<Boolean> add(Threepid threepid) {
        return db.update(db.sql(INSERT).bind("medium", threepid.medium()).bind("address", threepid.address())
                .bind("userId", threepid.userId()).bind("validated", threepid.validatedTs())
                .bind("added", threepid.addedTs())).map(n -> n > 0);
    }

    public Mono<List<Threepid>> list(String userId) {
        return db.many(db.sql(LIST).bind("userId", userId), ThreepidRepository::map);
    }

    /** The account holding the address, if any. */
    public Mono<Threepid> find(String medium, String address) {
        return db.one(db.sql(FIND).bind("medium", medium).bind("address", address), ThreepidRepository::map);
    }

    /** Emits whether the user had the address. */
    public Mono<Boolean> delete(String userId, String medium, String address) {
        return db.update(db.sql(DELETE).bind("userId", userId).bind("medium", medium).bind("address", address))
                .map(n -> n > 0);
    }

    /** Forgets every address of the user (deactivation). */
    public Mono<Long> deleteAll(String userId) {
        return db.update(db.sql(DELETE_ALL).bind("userId", userId));
    }

    private static Threepid map(Database.Row r) {
        return new Threepid(r.string("medium"), r.string("address"), r.string("user_id"), r.longValue("validated_ts"),
                r.longValue("added_ts"));
    }
}
