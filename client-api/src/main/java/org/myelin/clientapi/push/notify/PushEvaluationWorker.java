package org.myelin.clientapi.push.notify;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.myelin.clientapi.push.PushRulesets;
import org.myelin.clientapi.push.WakeUpLoop;
import org.myelin.db.notify.StreamNotifier;
import org.myelin.db.push.PushEvaluationRepository;
import org.myelin.db.push.PushEvaluationRepository.Batch;
import org.myelin.db.push.PushEvaluationRepository.Member;
import org.myelin.db.push.PushEvaluationRepository.Notification;
import org.myelin.db.push.PushEvaluationRepository.PendingEvent;
import org.myelin.db.push.PushEvaluationRepository.SentRead;
import org.myelin.ephemeral.LocalServer;
import org.myelin.ephemeral.StreamWriter;
import org.myelin.federation.protocol.push.PushEvent;
import org.myelin.federation.protocol.push.PushRuleEvaluator;
import org.myelin.federation.protocol.push.Recipient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Evaluates push rules for every accepted event, for every local member of its room, off the send's path: it runs
 * after the append, on each events wake-up and every {@link #TICK}, and works through the events stream in order
 * from where {@code push_evaluation} stands, {@link #BATCH} events at a time. Only the node holding the evaluation
 * lease works; each batch is stored in one transaction on the {@code notifications} stream that also moves the
 * position by compare-and-set, so a batch is never stored twice, and a node that dies leaves its lease to run out.
 * The rule matching itself runs on the CPU scheduler.
 *
 * <p>Per event: the sender is not notified, nor members ignoring the sender (as Synapse); an invite also evaluates
 * the invited local user's rules. Each notifying match is stored ({@code event_push_actions}) with its thread, and
 * a delivery is queued for each of the user's pushers. A local sender's event reads their thread up to it.
 */
@Component
public class PushEvaluationWorker implements SmartLifecycle {

    /** The stream notifications are written on; /sync reads unread counts by it. */
    public static final String STREAM = "notifications";
    static final int BATCH = 100;
    static final Duration TICK = Duration.ofSeconds(1);
    static final Duration LEASE = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(PushEvaluationWorker.class);

    private final PushEvaluationRepository repository;
    private final StreamWriter writer;
    private final LocalServer localServer;
    private final ObjectMapper mapper;
    private final Scheduler cpu;
    private final Clock clock;
    private final RoomFactsCache rooms;
    private final UserRules rules;
    private final EventThreads threads;
    private final String node = UUID.randomUUID().toString();
    private final WakeUpLoop loop;
    private volatile boolean leased;

    /** The stored results of one batch. */
    private record Results(List<Notification> notifications, List<SentRead> reads, Set<String> rooms) {
    }

    public PushEvaluationWorker(PushEvaluationRepository repository, PushRulesets rulesets, StreamWriter writer,
            StreamNotifier notifier, LocalServer localServer, ObjectMapper mapper, Scheduler cpuScheduler,
            Clock clock) {
        this.repository = repository;
        this.writer = writer;
        this.localServer = localServer;
        this.mapper = mapper;
        this.cpu = cpuScheduler;
        this.clock = clock;
        this.rooms = new RoomFactsCache(repository, localServer, mapper);
        this.rules = new UserRules(rulesets, repository, cpuScheduler);
        this.threads = new EventThreads(repository);
        this.loop = new WakeUpLoop("Push rule evaluation", TICK, notifier, p -> "events".equals(p.stream()));
    }

    @Override
    public void start() {
        loop.start(this::runOnce);
    }

    @Override
    public void stop() {
        loop.stop();
        repository.release(node).subscribe(null, e -> LOG.debug("Releasing the push evaluation lease failed", e));
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }

    /** Evaluates every event not evaluated yet, if this node gets the lease; emits the position reached. */
    public Mono<Long> runOnce() {
        long now = clock.millis();
        return repository.lease(node, now, now + LEASE.toMillis())
                .doOnNext(from -> {
                    if (!leased) {
                        // Another node may have evaluated meanwhile: what this node remembers may be stale.
                        rooms.clear();
                        rules.clear();
                    }
                    leased = true;
                })
                .switchIfEmpty(Mono.fromRunnable(() -> leased = false))
                .flatMap(from -> repository.pending(from, BATCH).flatMap(batch -> processFrom(from, batch)));
    }

    private Mono<Long> processFrom(long from, Batch batch) {
        if (batch.upTo() <= from && batch.events().isEmpty()) {
            return Mono.just(from);
        }
        return rules.refresh().then(evaluate(batch.events())).flatMap(results -> store(from, batch.upTo(), results))
                .then(Mono.defer(() -> batch.events().size() < BATCH ? Mono.just(batch.upTo())
                        : repository.pending(batch.upTo(), BATCH).flatMap(next -> processFrom(batch.upTo(), next))));
    }

    private Mono<Void> store(long from, long to, Results results) {
        if (results.notifications().isEmpty() && results.reads().isEmpty()) {
            return repository.advance(node, from, to).flatMap(this::requireAdvanced);
        }
        long now = clock.millis();
        return writer.write(STREAM, 1, position -> repository.advance(node, from, to)
                .flatMap(this::requireAdvanced)
                .then(repository.store(results.notifications(), position, now))
                .then(repository.sentReads(results.reads(), position))
                .thenReturn(results.rooms())).then();
    }

    private Mono<Void> requireAdvanced(boolean advanced) {
        return advanced ? Mono.empty()
                : Mono.error(new IllegalStateException("the push evaluation lease was lost; the batch is undone"));
    }

    private Mono<Results> evaluate(List<PendingEvent> events) {
        Results results = new Results(new ArrayList<>(), new ArrayList<>(), new LinkedHashSet<>());
        return Flux.fromIterable(events).concatMap(event -> evaluate(event, results)).then(Mono.just(results));
    }

    private Mono<Void> evaluate(PendingEvent event, Results results) {
        ObjectNode json = (ObjectNode) mapper.readTree(event.json());
        json.put("event_id", event.eventId());
        boolean state = json.has("state_key");
        return rooms.facts(event.roomId())
                .flatMap(facts -> threads.threadOf(event).flatMap(thread -> {
                    if (isLocal(event.sender())) {
                        // One row per (user, room, thread) and batch: events come in order, the last one wins.
                        results.reads().removeIf(r -> r.userId().equals(event.sender())
                                && r.roomId().equals(event.roomId()) && r.threadId().equals(thread));
                        results.reads().add(new SentRead(event.sender(), event.roomId(), thread,
                                event.streamOrdering()));
                        results.rooms().add(event.roomId());
                    }
                    List<Member> members = recipients(json, facts, event.sender());
                    List<String> ids = members.stream().map(Member::userId).toList();
                    return Mono.zip(rules.of(ids), repository.ignoring(ids, event.sender()))
                            .publishOn(cpu)
                            .doOnNext(t -> match(event, json, facts, thread, members, t.getT1(), t.getT2(), results));
                }))
                .doFinally(signal -> {
                    if (state) {
                        rooms.forget(event.roomId());
                    }
                })
                .then();
    }

    private void match(PendingEvent event, ObjectNode json, RoomFacts facts, String thread, List<Member> members,
            Map<String, PushRuleEvaluator> byUser, Set<String> ignoring, Results results) {
        PushEvent pushEvent = new PushEvent(json, facts.joinedCount(), facts.powerLevels().userLevel(event.sender()),
                facts.notificationLevels());
        for (Member member : members) {
            PushRuleEvaluator evaluator = byUser.get(member.userId());
            if (evaluator == null || ignoring.contains(member.userId())) {
                continue;
            }
            PushRuleEvaluator.Match match = evaluator.evaluate(pushEvent,
                    new Recipient(member.userId(), member.displayName()));
            if (match != null && match.actions().notifies()) {
                results.notifications().add(new Notification(member.userId(), event.eventId(), event.roomId(),
                        event.streamOrdering(), thread, mapper.writeValueAsString(match.actions().actions()),
                        match.actions().highlight()));
                results.rooms().add(event.roomId());
            }
        }
    }

    /** The local members whose rules are evaluated: those joined, less the sender, plus a local invitee. */
    private List<Member> recipients(ObjectNode json, RoomFacts facts, String sender) {
        List<Member> members = new ArrayList<>(facts.localMembers().size() + 1);
        for (Member m : facts.localMembers()) {
            if (!m.userId().equals(sender)) {
                members.add(m);
            }
        }
        String target = json.path("state_key").asString(null);
        if ("m.room.member".equals(json.path("type").asString("")) && target != null && isLocal(target)
                && "invite".equals(json.path("content").path("membership").asString(""))
                && members.stream().noneMatch(m -> m.userId().equals(target)) && !target.equals(sender)) {
            members.add(new Member(target, json.path("content").path("displayname").asString(null)));
        }
        return members;
    }

    private boolean isLocal(String userId) {
        int colon = userId.indexOf(':');
        return colon >= 0 && userId.substring(colon + 1).equals(localServer.serverName());
    }
}
