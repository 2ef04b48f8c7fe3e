package org.myelin.clientapi.push.notify;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.myelin.clientapi.push.PushRuleKind;
import org.myelin.clientapi.push.PushRuleset;
import org.myelin.clientapi.push.StoredRule;
import org.myelin.federation.protocol.push.PushEvent;
import org.myelin.federation.protocol.push.PushRuleEvaluator;
import org.myelin.federation.protocol.push.Recipient;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Push rule evaluation for one event in a 5,000-member room (docs/performance.md "Push rule evaluation"): every
 * member has the server-default rules, one in ten also has a content rule and a room rule of their own. It times
 * what the evaluation worker does per event, evaluating the already compiled rules of every member, against the
 * baseline of compiling each member's ruleset for every event (what evaluation costs without the worker's cache).
 * Not a test: run it with {@code homeserver/bench/push-evaluation.sh}.
 */
public final class PushEvaluationBenchmark {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MEMBERS = Integer.getInteger("members", 5_000);
    private static final long SECONDS = Long.getLong("seconds", 5);

    private PushEvaluationBenchmark() {
    }

    public static void main(String[] args) {
        List<Recipient> members = new ArrayList<>();
        List<List<StoredRule>> stored = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
            String userId = "@user" + i + ":bench.example";
            members.add(new Recipient(userId, "User Number " + i));
            List<StoredRule> own = new ArrayList<>();
            if (i % 10 == 0) {
                own.add(new StoredRule(PushRuleKind.CONTENT, "lunch" + i, 0,
                        JSON.readTree("{\"pattern\":\"lunch*\",\"actions\":[\"notify\"]}"), true));
                own.add(new StoredRule(PushRuleKind.ROOM, "!other" + i + ":bench.example", 0,
                        JSON.readTree("{\"actions\":[]}"), true));
            }
            stored.add(own);
        }
        List<PushRuleEvaluator> compiled = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
            compiled.add(PushRuleEvaluator.compile(PushRuleset.of(members.get(i).userId(), stored.get(i)).toJson()));
        }
        Map<String, PushEvent> events = Map.of(
                "plain message", event("{\"msgtype\":\"m.text\",\"body\":\"Is anyone up for coffee at eleven?\"}"),
                "intentional mention", event("{\"msgtype\":\"m.text\",\"body\":\"User Number 42: see this\","
                        + "\"m.mentions\":{\"user_ids\":[\"@user42:bench.example\"]}}"),
                "legacy @room", event("{\"msgtype\":\"m.text\",\"body\":\"@room the build is green again\"}"));
        System.out.printf("members: %,d; %d s per run after a %d s warm-up; Java %s; rates per second of the"
                + " benchmark thread's CPU time%n", MEMBERS, SECONDS, SECONDS, System.getProperty("java.version"));
        System.out.println("| event | evaluator, compiled rules: evaluations/s | events/s | "
                + "baseline, rules compiled per event: evaluations/s | events/s | speed-up |");
        System.out.println("|---|--:|--:|--:|--:|--:|");
        for (Map.Entry<String, PushEvent> e : new java.util.TreeMap<>(events).entrySet()) {
            PushEvent event = e.getValue();
            Runnable cached = () -> {
                for (int i = 0; i < MEMBERS; i++) {
                    sink(compiled.get(i).evaluate(event, members.get(i)));
                }
            };
            Runnable baseline = () -> {
                for (int i = 0; i < MEMBERS; i++) {
                    PushRuleEvaluator rules = PushRuleEvaluator.compile(
                            PushRuleset.of(members.get(i).userId(), stored.get(i)).toJson());
                    sink(rules.evaluate(event, members.get(i)));
                }
            };
            double fast = eventsPerSecond(cached);
            double slow = eventsPerSecond(baseline);
            System.out.printf("| %s | %,.0f | %,.0f | %,.0f | %,.1f | %,.0f× |%n", e.getKey(), fast * MEMBERS, fast,
                    slow * MEMBERS, slow, fast / slow);
        }
        System.out.println("(matches: " + matches + ")");
    }

    private static long matches;

    private static void sink(PushRuleEvaluator.Match match) {
        if (match != null && match.actions().notifies()) {
            matches++;
        }
    }

    private static PushEvent event(String content) {
        JsonNode json = JSON.readTree("{\"type\":\"m.room.message\",\"sender\":\"@sender:bench.example\","
                + "\"room_id\":\"!room:bench.example\",\"event_id\":\"$e\",\"content\":" + content + "}");
        return new PushEvent(json, MEMBERS + 1, 0, Map.of("room", 50L));
    }

    /** Events (one evaluation per member each) per CPU second, after as long a warm-up as the measured run. */
    private static double eventsPerSecond(Runnable oneEvent) {
        run(oneEvent, SECONDS);
        return run(oneEvent, SECONDS);
    }

    /**
     * Events per second of this thread's CPU time, not of wall time: on a machine shared with other jobs the
     * thread gets a varying share of a core, and its CPU time is what the work costs.
     */
    private static double run(Runnable oneEvent, long seconds) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long start = threads.getCurrentThreadCpuTime();
        long count = 0;
        while (System.nanoTime() < end) {
            oneEvent.run();
            count++;
        }
        return count / ((threads.getCurrentThreadCpuTime() - start) / 1e9);
    }
}
