package org.myelin.clientapi.push;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.myelin.clientapi.ephemeral.accountdata.AccountDataService;
import org.myelin.clientapi.ephemeral.accountdata.ComputedAccountData;
import org.myelin.db.ephemeral.AccountDataRepository;
import org.myelin.db.push.PushRuleRepository;
import org.myelin.ephemeral.StreamWriter;
import org.myelin.federation.protocol.error.MatrixException;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and changes a user's push rules. Every change runs on the "account_data" stream: in one transaction it
 * takes a position (whose row lock orders concurrent changes, so none is lost), applies the change to the rows it
 * has just read, and stores the new ruleset as the global account data {@code m.push_rules} with that position, so
 * the user's syncs wake and report it (https://spec.matrix.org/v1.19/client-server-api/#push-rules-events).
 */
@Component
public class PushRulesets implements ComputedAccountData {

    /** The account data type carrying the ruleset. */
    public static final String TYPE = "m.push_rules";

    private final PushRuleRepository rules;
    private final AccountDataRepository accountData;
    private final StreamWriter writer;
    private final ObjectMapper mapper;

    public PushRulesets(PushRuleRepository rules, AccountDataRepository accountData, StreamWriter writer,
            ObjectMapper mapper) {
        this.rules = rules;
        this.accountData = accountData;
        this.writer = writer;
        this.mapper = mapper;
    }

    /** The user's effective ruleset. */
    public Mono<PushRuleset> ruleset(String userId) {
        return rules.all(userId).map(rows -> PushRuleset.of(userId, rows.stream().map(this::stored).toList()));
    }

    /** The effective rulesets of {@code userIds}, read in one query. */
    public Mono<Map<String, PushRuleset>> rulesets(List<String> userIds) {
        if (userIds.isEmpty()) {
            return Mono.just(Map.of());
        }
        return rules.allOf(userIds).map(rows -> {
            Map<String, List<StoredRule>> byUser = new HashMap<>();
            rows.forEach(row -> byUser.computeIfAbsent(row.userId(), k -> new ArrayList<>()).add(stored(row)));
            Map<String, PushRuleset> out = new HashMap<>();
            userIds.forEach(id -> out.put(id, PushRuleset.of(id, byUser.getOrDefault(id, List.of()))));
            return out;
        });
    }

    private StoredRule stored(PushRuleRepository.Row row) {
        return new StoredRule(PushRuleKind.parse(row.kind()), row.ruleId(), row.priority(),
                mapper.readTree(row.ruleJson()), row.enabled());
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** The {@code m.push_rules} content: {@code {"global": ruleset}}. */
    @Override
    public Mono<ObjectNode> content(String userId) {
        return ruleset(userId).map(ruleset -> {
            ObjectNode content = JsonNodeFactory.instance.objectNode();
            content.set("global", ruleset.toJson());
            return content;
        });
    }

    /** Creates or replaces the user-defined rule {@code ruleId}, placed by {@link RuleOrder}. */
    public Mono<Void> put(String userId, PushRuleKind kind, String ruleId, ObjectNode rule, String before,
            String after) {
        return change(userId, current -> {
            List<String> order = RuleOrder.place(current.userRuleIds(kind), ruleId, before, after);
            return rules.putRule(userId, kind.wireName(), ruleId, mapper.writeValueAsString(rule))
                    .then(rules.rank(userId, kind.wireName(), order));
        });
    }

    /** Deletes a user-defined rule: 404 M_NOT_FOUND if there is none, 400 M_INVALID_PARAM for a default rule. */
    public Mono<Void> delete(String userId, PushRuleKind kind, String ruleId) {
        return change(userId, current -> {
            if (require(current, kind, ruleId).isDefault()) {
                throw MatrixException.invalidParam("Server-default push rules cannot be deleted");
            }
            return rules.delete(userId, kind.wireName(), ruleId).then();
        });
    }

    /** Enables or disables any existing rule, server-default ones included. */
    public Mono<Void> setEnabled(String userId, PushRuleKind kind, String ruleId, boolean enabled) {
        return change(userId, current -> {
            require(current, kind, ruleId);
            return rules.setEnabled(userId, kind.wireName(), ruleId, enabled);
        });
    }

    /** Replaces the actions of any existing rule, server-default ones included. */
    public Mono<Void> setActions(String userId, PushRuleKind kind, String ruleId, ArrayNode actions) {
        return change(userId, current -> rules.setActions(userId, kind.wireName(), ruleId,
                mapper.writeValueAsString(actions), require(current, kind, ruleId).enabled()));
    }

    /** The rule, or 404 M_NOT_FOUND. */
    public static PushRule require(PushRuleset ruleset, PushRuleKind kind, String ruleId) {
        return ruleset.find(kind, ruleId)
                .orElseThrow(() -> MatrixException.notFound("The push rule was not found."));
    }

    private Mono<Void> change(String userId, Function<PushRuleset, Mono<Void>> change) {
        return writer.write(AccountDataService.STREAM, 1, position -> ruleset(userId).flatMap(change)
                .then(content(userId))
                .flatMap(content -> accountData.put(userId, AccountDataRepository.GLOBAL, TYPE,
                        mapper.writeValueAsString(content), position))
                .thenReturn(List.of(userId))).then();
    }
}
