package org.myelin.db.push;

import java.util.List;

import org.myelin.db.support.Database;

import io.r2dbc.postgresql.codec.Json;
import reactor.core.publisher.Mono;

/**
 * A user's push rule rows ({@code push_rules}). A row whose {@code rule_id} starts with "." records the user's
 * changes to that server-default rule ({@code enabled}, and {@code actions} inside {@code rule} once replaced);
 * any other row is a user-defined rule, ranked among its kind by {@code priority}, 0 the most important.
 */
public final class PushRuleRepository {

    /** One stored row; {@code ruleJson} is the {@code rule} JSON object. */
    public record Row(String userId, String kind, String ruleId, int priority, String ruleJson, boolean enabled) {
    }

    private static final String ALL = "SELECT user_id, kind, rule_id, priority, rule, enabled FROM push_rules "
            + "WHERE user_id = :userId";
    private static final String ALL_OF = "SELECT user_id, kind, rule_id, priority, rule, enabled FROM push_rules "
            + "WHERE user_id = ANY(:userIds)";
    private static final String PUT_RULE = """
            INSERT INTO push_rules (user_id, kind, rule_id, priority, rule, enabled)
            VALUES (:userId, :kind, :ruleId, 0, :rule, TRUE)
            ON CONFLICT (user_id, kind, rule_id) DO UPDATE SET rule = EXCLUDED.rule""";
    private static final String RANK = """
            UPDATE push_rules p SET priority = o.ord - 1
            FROM unnest(CAST(:ids AS TEXT[])) WITH ORDINALITY AS o(rule_id, ord)
            WHERE p.user_id = :userId AND p.kind = :kind AND p.rule_id = o.rule_id""";
    private static final String DELETE = "DELETE FROM push_rules "
            + "WHERE user_id = :userId AND kind = :kind AND rule_id = :ruleId";
    private static final String SET_ENABLED = """
            INSERT INTO push_rules (user_id, kind, rule_id, priority, rule, enabled)
            VALUES (:userId, :kind, :ruleId, 0, '{}', :enabled)
            ON CONFLICT (user_id, kind, rule_id) DO UPDATE SET enabled = EXCLUDED.enabled""";
    private static final String SET_ACTIONS = """
            INSERT INTO push_rules (user_id, kind, rule_id, priority, rule, enabled)
            VALUES (:userId, :kind, :ruleId, 0, :rule, :enabled)
            ON CONFLICT (user_id, kind, rule_id) DO UPDATE SET rule = push_rules.rule || EXCLUDED.rule""";

    private final Database db;

    public PushRuleRepository(Database db) {
        this.db = db;
    }

    /** Every row of the user's. */
    public Mono<List<Row>> all(String userId) {
        return db.many(db.sql(ALL).bind("userId", userId), PushRuleRepository::row);
    }

    /** Every row of each of {@code userIds} (one query for a whole room's members). */
    public Mono<List<Row>> allOf(List<String> userIds) {
        return db.many(db.sql(ALL_OF).bind("userIds", userIds.toArray(String[]::new)), PushRuleRepository::row);
    }

    private static Row row(Database.Row r) {
        return new Row(r.string("user_id"), r.string("kind"), r.string("rule_id"), r.intValue("priority"),
                r.json("rule"), r.bool("enabled"));
    }

    /** Creates a user-defined rule (enabled) or replaces an existing one's content, keeping its enabled flag. */
    public Mono<Void> putRule(String userId, String kind, String ruleId, String ruleJson) {
        return db.update(db.sql(PUT_RULE).bind("userId", userId).bind("kind", kind).bind("ruleId", ruleId)
                .bind("rule", Json.of(ruleJson))).then();
    }

    /** Ranks the user's rules of {@code kind} in the order of {@code ruleIds}, the first the most important. */
    public Mono<Void> rank(String userId, String kind, List<String> ruleIds) {
        return db.update(db.sql(RANK).bind("userId", userId).bind("kind", kind)
                .bind("ids", ruleIds.toArray(String[]::new))).then();
    }

    /** Deletes one row; emits whether it existed. */
    public Mono<Boolean> delete(String userId, String kind, String ruleId) {
        return db.update(db.sql(DELETE).bind("userId", userId).bind("kind", kind).bind("ruleId", ruleId))
                .map(count -> count > 0);
    }

    /** Sets whether the rule is enabled, creating the row of a server-default rule if needed. */
    public Mono<Void> setEnabled(String userId, String kind, String ruleId, boolean enabled) {
        return db.update(db.sql(SET_ENABLED).bind("userId", userId).bind("kind", kind).bind("ruleId", ruleId)
                .bind("enabled", enabled)).then();
    }

    /**
     * Replaces the rule's actions; a server-default rule's row is created if needed with {@code enabled}, its
     * current state.
     */
    public Mono<Void> setActions(String userId, String kind, String ruleId, String actionsJson, boolean enabled) {
        return db.update(db.sql(SET_ACTIONS).bind("userId", userId).bind("kind", kind).bind("ruleId", ruleId)
                .bind("rule", Json.of("{\"actions\":" + actionsJson + "}")).bind("enabled", enabled)).then();
    }
}
