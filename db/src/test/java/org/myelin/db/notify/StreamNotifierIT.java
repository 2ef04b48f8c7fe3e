package org.myelin.db.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.myelin.db.support.Database;
import org.myelin.db.testing.RequiresPostgres;
import org.myelin.db.testing.TestDatabase;
import org.reactivestreams.Subscription;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Two notifiers ("nodes" A and B) on one fresh database: delivery at COMMIT only, nothing on ROLLBACK, recovery
 * after the listener's backend is killed, and resync after a slow subscriber overflows.
 */
@RequiresPostgres
class StreamNotifierIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static TestDatabase.Db coordinates;
    private static Database db;
    private static StreamPublisher publisher;

    private final List<Disposable> subscriptions = new ArrayList<>();
    private StreamNotifier nodeA;
    private StreamNotifier nodeB;

    @BeforeAll
    static void database() {
        coordinates = TestDatabase.fresh("StreamNotifierIT");
        PostgresqlConnectionFactory factory = factory("writer");
        db = new Database(DatabaseClient.create(factory),
                TransactionalOperator.create(new R2dbcTransactionManager(factory)), TIMEOUT, TIMEOUT);
        db.update(db.sql("CREATE TABLE writes (v BIGINT NOT NULL)")).block();
        publisher = new StreamPublisher(db, StreamNotifier.DEFAULT_CHANNEL);
    }

    @BeforeEach
    void startNodes() {
        nodeA = new StreamNotifier(factory("node_a"), settings(64), Schedulers.parallel());
        nodeB = new StreamNotifier(factory("node_b"), settings(4), Schedulers.parallel());
    }

    @AfterEach
    void stopNodes() {
        subscriptions.forEach(Disposable::dispose);
        nodeA.stop();
        nodeB.stop();
    }

    @Test
    void aNotifyInsideATransactionShouldReachTheOtherNodeOnlyAfterCommit() throws InterruptedException {
        BlockingQueue<Received> onA = listen(nodeA);
        BlockingQueue<Received> onB = listen(nodeB);
        AtomicLong beforeCommit = new AtomicLong();

        Mono<Boolean> work = db.update(db.sql("INSERT INTO writes VALUES (1)"))
                .then(publisher.publish(StreamPosition.of("events", 1, "!room:test")))
                .then(Mono.delay(Duration.ofMillis(300)))
                .then(Mono.fromSupplier(() -> onB.isEmpty() && onA.isEmpty()))
                .doOnSuccess(x -> beforeCommit.set(System.nanoTime()));
        boolean silentBeforeCommit = db.inTransaction(work).block(TIMEOUT);

        Received b = onB.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Received a = onA.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(silentBeforeCommit).isTrue();
        assertThat(b.position()).isEqualTo(StreamPosition.of("events", 1, "!room:test"));
        assertThat(a.position()).isEqualTo(b.position());
        long latencyMicros = (b.atNanos() - beforeCommit.get()) / 1_000;
        // The db module's tests have no SLF4J binding, so the measurement goes to the surefire output.
        System.out.printf("Cross-node wake-up latency (end of A's transaction work -> B's subscriber): %d µs%n",
                latencyMicros);
        assertThat(latencyMicros).isLessThan(1_000_000);
    }

    @Test
    void aRolledBackTransactionShouldDeliverNothing() throws InterruptedException {
        BlockingQueue<Received> onB = listen(nodeB);

        Mono<Void> rolledBack = db.update(db.sql("INSERT INTO writes VALUES (2)"))
                .then(publisher.publish(StreamPosition.of("events", 2)))
                .then(Mono.error(new IllegalStateException("roll back")));
        assertThatThrownBy(() -> db.inTransaction(rolledBack).block(TIMEOUT)).hasMessageContaining("roll back");
        publisher.publish(StreamPosition.of("marker", 3)).block(TIMEOUT);

        assertThat(onB.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).position())
                .isEqualTo(StreamPosition.of("marker", 3));
        assertThat(db.one(db.sql("SELECT count(*) AS n FROM writes WHERE v = 2"), r -> r.longValue("n"))
                .block(TIMEOUT)).isZero();
    }

    @Test
    void killingTheListenersBackendShouldReconnectListenAgainAndResync() throws InterruptedException {
        BlockingQueue<Received> onB = listen(nodeB);
        int pid = db.one(db.sql("SELECT pid FROM pg_stat_activity WHERE application_name = 'node_b' "
                + "AND datname = current_database()"), r -> r.intValue("pid")).block(TIMEOUT);

        long killed = System.nanoTime();
        assertThat(db.one(db.sql("SELECT pg_terminate_backend(:pid) AS ok").bind("pid", pid), r -> r.bool("ok"))
                .block(TIMEOUT)).isTrue();

        Received resync = onB.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(resync.position().isResync()).isTrue();
        System.out.printf("Listener back after pg_terminate_backend in %d ms%n",
                (resync.atNanos() - killed) / 1_000_000);
        int newPid = db.one(db.sql("SELECT pid FROM pg_stat_activity WHERE application_name = 'node_b' "
                + "AND datname = current_database()"), r -> r.intValue("pid")).block(TIMEOUT);
        assertThat(newPid).isNotEqualTo(pid);

        publisher.publish(StreamPosition.of("events", 4)).block(TIMEOUT);
        assertThat(onB.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).position())
                .isEqualTo(StreamPosition.of("events", 4));
    }

    @Test
    void aSlowSubscriberShouldGetAResyncInsteadOfBlockingTheListener() throws InterruptedException {
        BlockingQueue<Received> fast = listen(nodeB);
        List<StreamPosition> slowGot = new ArrayList<>();
        BaseSubscriber<StreamPosition> slow = new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(Subscription subscription) {
                // requests nothing until the test says so
            }

            @Override
            protected void hookOnNext(StreamPosition value) {
                synchronized (slowGot) {
                    slowGot.add(value);
                }
            }
        };
        nodeB.positions().subscribe(slow);
        subscriptions.add(slow);

        for (int i = 0; i < 40; i++) {
            publisher.publish(StreamPosition.of("events", 100 + i)).block(TIMEOUT);
        }
        for (int i = 0; i < 40; i++) {
            assertThat(fast.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).position().position()).isEqualTo(100 + i);
        }
        slow.request(Long.MAX_VALUE);

        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!lastIs(slowGot, 139) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        synchronized (slowGot) {
            assertThat(slowGot).contains(StreamPosition.resync(), StreamPosition.of("events", 139));
            assertThat(slowGot).hasSizeLessThan(40);
            assertThat(slowGot.indexOf(StreamPosition.resync())).isLessThan(slowGot.size() - 1);
        }
    }

    /** A position and when this test saw it. */
    private record Received(StreamPosition position, long atNanos) {
    }

    /** Subscribes, starts the node, and waits for the first resync (LISTEN is active); returns what follows. */
    private BlockingQueue<Received> listen(StreamNotifier node) throws InterruptedException {
        BlockingQueue<Received> queue = new LinkedBlockingQueue<>();
        subscriptions.add(node.positions().subscribe(p -> queue.add(new Received(p, System.nanoTime()))));
        node.start();
        Received first = queue.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(first).isNotNull();
        assertThat(first.position().isResync()).isTrue();
        return queue;
    }

    private static boolean lastIs(List<StreamPosition> got, long position) {
        synchronized (got) {
            return !got.isEmpty() && got.get(got.size() - 1).position() == position;
        }
    }

    private static StreamNotifier.Settings settings(int buffer) {
        return new StreamNotifier.Settings(StreamNotifier.DEFAULT_CHANNEL, TIMEOUT, Duration.ofMillis(50),
                Duration.ofSeconds(1), Duration.ofSeconds(2), buffer);
    }

    private static PostgresqlConnectionFactory factory(String applicationName) {
        return new PostgresqlConnectionFactory(PostgresqlConnectionConfiguration.builder()
                .host(coordinates.host()).port(coordinates.port()).database(coordinates.database())
                .username(coordinates.user()).password(coordinates.password()).applicationName(applicationName)
                .build());
    }
}
