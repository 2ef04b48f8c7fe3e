package org.myelin.clientapi.push.notify;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.myelin.clientapi.push.PushRulesets;
import org.myelin.db.push.PushEvaluationRepository;
import org.myelin.db.push.PushEvaluationRepository.RuleChange;
import org.myelin.federation.protocol.push.PushRuleEvaluator;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Compiled push rules of the users evaluation has met, so that an event in a large room compiles nothing: a user's
 * entry is built from their effective ruleset ({@link PushRulesets}, the server defaults merged with their own
 * rules) and dropped when their rules change. Every rule change rewrites the user's {@code m.push_rules} account
 * data with a new position; {@link #refresh()}, run before each batch (after its events were read), forgets the
 * users changed since the last refresh, so a change committed before an event applies to it. An entry loaded
 * while a refresh forgot users is not kept.
 */
final class UserRules {

    private static final int MAX_USERS = 50_000;

    private final PushRulesets rulesets;
    private final PushEvaluationRepository repository;
    private final Scheduler cpu;
    private long generation;
    private long seen = -1;
    private final Map<String, PushRuleEvaluator> users = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PushRuleEvaluator> eldest) {
            return size() > MAX_USERS;
        }
    };

    UserRules(PushRulesets rulesets, PushEvaluationRepository repository, Scheduler cpu) {
        this.rulesets = rulesets;
        this.repository = repository;
        this.cpu = cpu;
    }

    /** Forgets the users whose rules changed since the last refresh (everyone the first time). */
    Mono<Void> refresh() {
        long after;
        synchronized (this) {
            after = Math.max(seen, 0);
        }
        return repository.ruleChanges(after).doOnNext(changes -> {
            synchronized (this) {
                if (seen < 0) {
                    users.clear();
                }
                generation++;
                for (RuleChange change : changes) {
                    users.remove(change.userId());
                    seen = Math.max(seen, change.streamId());
                }
                seen = Math.max(seen, after);
            }
        }).then();
    }

    synchronized void clear() {
        generation++;
        users.clear();
        seen = -1;
    }

    /** The compiled rules of each of {@code userIds}. */
    Mono<Map<String, PushRuleEvaluator>> of(List<String> userIds) {
        Map<String, PushRuleEvaluator> found = new HashMap<>();
        List<String> missing = new ArrayList<>();
        long started;
        synchronized (this) {
            started = generation;
            for (String id : userIds) {
                PushRuleEvaluator rules = users.get(id);
                if (rules == null) {
                    missing.add(id);
                } else {
                    found.put(id, rules);
                }
            }
        }
        if (missing.isEmpty()) {
            return Mono.just(found);
        }
        return rulesets.rulesets(missing).publishOn(cpu).map(loaded -> {
            Map<String, PushRuleEvaluator> compiled = new HashMap<>();
            loaded.forEach((id, ruleset) -> compiled.put(id, PushRuleEvaluator.compile(ruleset.toJson())));
            synchronized (this) {
                if (generation == started) {
                    users.putAll(compiled);
                }
            }
            found.putAll(compiled);
            return found;
        });
    }
}
