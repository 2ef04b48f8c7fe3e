package org.myelin.db.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.myelin.db.testing.RequiresPostgres;
import org.myelin.db.testing.TestDatabase;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

import io.r2dbc.pool.ConnectionPool;
import reactor.core.publisher.Mono;

/**
 * The two time limits of {@link DatabasePool} and {@link Database}, on a pool of one connection: the statement
 * timeout bounds what PostgreSQL runs and not the wait for a connection, and a request that gets no connection
 * within the acquire timeout is told the server is busy (429 M_LIMIT_EXCEEDED), not a server error.
 */
@RequiresPostgres
class DatabaseTimeoutsIT {

    private static final Duration STATEMENT = Duration.ofMillis(500);

    private ConnectionPool pool;

    @AfterEach
    void close() {
        pool.dispose();
    }

    private Database database(Duration acquireTimeout) {
        TestDatabase.Db db = TestDatabase.fresh("DatabaseTimeoutsIT");
        pool = DatabasePool.create(new DatabasePool.Coordinates(db.host(), db.port(), db.database(), db.user(),
                db.password()), new DatabasePool.Settings(1, STATEMENT, acquireTimeout, Duration.ofSeconds(10)));
        return new Database(DatabaseClient.create(pool),
                TransactionalOperator.create(new R2dbcTransactionManager(pool)), STATEMENT, acquireTimeout);
    }

    /** Holds the pool's only connection for three statements of 300 ms each, each under the statement timeout. */
    private static Mono<Long> holdTheConnection(Database db) {
        return db.inTransaction(sleep(db, 0.3).then(sleep(db, 0.3)).then(sleep(db, 0.3))).cache();
    }

    private static Mono<Long> sleep(Database db, double seconds) {
        return Mono.defer(() -> db.one(db.sql("SELECT 1 AS one FROM pg_sleep(" + seconds + ")"),
                r -> r.intValue("one").longValue()));
    }

    /** The error {@code work} ends with; an {@link AssertionError} if it succeeds. */
    private static Mono<Throwable> failureOf(Mono<Long> work) {
        return work.<Throwable>map(value -> new AssertionError("succeeded with " + value))
                .onErrorResume(Mono::just);
    }

    @Test
    void waitingForAConnectionLongerThanTheStatementTimeoutShouldNotFailTheStatement() {
        Database db = database(Duration.ofSeconds(10));
        Mono<Long> held = holdTheConnection(db);
        held.subscribe();
        long start = System.nanoTime();
        Integer answer = Mono.delay(Duration.ofMillis(100))
                .then(db.one(db.sql("SELECT 42 AS answer"), r -> r.intValue("answer"))).block();
        Duration waited = Duration.ofNanos(System.nanoTime() - start);

        assertThat(answer).isEqualTo(42);
        assertThat(waited).as("it waited for the held connection, longer than one statement may run")
                .isGreaterThan(STATEMENT);
        assertThat(held.block()).isEqualTo(1);
    }

    @Test
    void aStatementRunningLongerThanTheStatementTimeoutShouldBeCancelledByPostgresql() {
        Database db = database(Duration.ofSeconds(10));
        long start = System.nanoTime();
        assertThatThrownBy(() -> sleep(db, 5).block()).hasMessageContaining("statement timeout");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        assertThat(sleep(db, 0).block()).as("the connection serves the next statement").isEqualTo(1);
    }

    @Test
    void noConnectionWithinTheAcquireTimeoutShouldAnswerThatTheServerIsBusy() {
        Database db = database(Duration.ofMillis(200));
        Mono<Long> held = holdTheConnection(db);
        held.subscribe();
        Mono<Throwable> statement = failureOf(Mono.delay(Duration.ofMillis(100)).then(sleep(db, 0)));
        Mono<Throwable> transaction = failureOf(Mono.delay(Duration.ofMillis(100))
                .then(db.inTransaction(sleep(db, 0))));
        for (Throwable failure : Mono.zip(statement, transaction, List::<Throwable>of).block()) {
            assertThat(failure).isInstanceOfSatisfying(MatrixException.class, e -> {
                assertThat(e.errCode()).isEqualTo(ErrCode.M_LIMIT_EXCEEDED);
                assertThat(e.status()).isEqualTo(429);
                assertThat(e.extras()).containsEntry("retry_after_ms", Database.BUSY_RETRY_AFTER_MS);
            });
        }
        assertThat(held.block()).as("the holder is not disturbed").isEqualTo(1);
        assertThat(sleep(db, 0).block()).isEqualTo(1);
    }
}
