package org.myelin.clientapi.push.notify;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.myelin.clientapi.push.PushRulesets;
import org.myelin.federation.protocol.push.PushRuleEvaluator;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Compiled push rules of the users evaluation has met, so that an event in a large room compiles nothing: a user's
 * entry is built from their effective ruleset ({@link PushRulesets}, the server defaults merged with their own
 * rules) and dropped when their account data changes (every rule change writes {@code m.push_rules}). An entry
 * loaded while a change was being announced is not kept, so a change is never hidden by a slow load.
 */
final class UserRules {

    private static final int MAX_USERS = 50_000;

    private final PushRulesets rulesets;
    private final Scheduler cpu;
    private long generation;
    private final Map<String, PushRuleEvaluator> users = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PushRuleEvaluator> eldest) {
            return size() > MAX_USERS;
        }
    };

    UserRules(PushRulesets rulesets, Scheduler cpu) {
        this.rulesets = rulesets;
        this.cpu = cpu;
    }

    synchronized void forget(String userId) {
        generation++;
        users.remove(userId);
    }

    synchronized void clear() {
        generation++;
        users.clear();
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
