package org.myelin.db.support;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

import io.r2dbc.spi.R2dbcTimeoutException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The one way repositories reach PostgreSQL: every statement runs under the statement timeout PostgreSQL enforces
 * ({@link DatabasePool}), and {@link #inTransaction} scopes a unit of work in one R2DBC transaction. A statement or
 * transaction that found no free connection within the acquire timeout fails with {@code M_LIMIT_EXCEEDED} (the
 * server is busy: retry later), never as a server error. A bound on the whole (the wait for a connection, the
 * statement and a margin) stays in case PostgreSQL stops answering altogether.
 */
public final class Database {

    /** What a client that found the server busy is told to wait before it retries. */
    static final long BUSY_RETRY_AFTER_MS = 1_000;
    private static final Duration MARGIN = Duration.ofSeconds(1);
    private static final int STATEMENTS_PER_TRANSACTION = 5;

    private final DatabaseClient client;
    private final TransactionalOperator transactions;
    private final Duration statementBound;
    private final Duration transactionBound;

    /**
     * @param statementTimeout the statement timeout the pool's connections were opened with
     * @param acquireTimeout   the pool's acquire timeout
     */
    public Database(DatabaseClient client, TransactionalOperator transactions, Duration statementTimeout,
            Duration acquireTimeout) {
        this.client = client;
        this.transactions = transactions;
        this.statementBound = acquireTimeout.plus(statementTimeout).plus(MARGIN);
        this.transactionBound = acquireTimeout.plus(statementTimeout.multipliedBy(STATEMENTS_PER_TRANSACTION))
                .plus(MARGIN);
    }

    /** A statement to bind and run; finish it with {@link #one}, {@link #many} or {@link #update}. */
    public DatabaseClient.GenericExecuteSpec sql(String sql) {
        return client.sql(sql);
    }

    /**
     * The first row mapped, or empty. The result is read to its end rather than
     * cancelled after the first row: cancelling a PostgreSQL result mid-stream can leave the connection unusable
     * for its next borrower (r2dbc-postgresql issue 650; Apache James fetches eagerly for the same reason).
     */
    public <T> Mono<T> one(DatabaseClient.GenericExecuteSpec spec, Function<Row, T> mapper) {
        return many(spec, mapper).flatMap(rows -> rows.isEmpty() ? Mono.empty() : Mono.just(rows.get(0)));
    }

    /** Every row mapped, collected so the connection is released before the caller's next query. */
    public <T> Mono<List<T>> many(DatabaseClient.GenericExecuteSpec spec, Function<Row, T> mapper) {
        return bounded(spec.map((row, meta) -> mapper.apply(new Row(row))).all().collectList());
    }

    /** Rows streamed, for large reads; the caller must consume them before issuing another query. */
    public <T> Flux<T> stream(DatabaseClient.GenericExecuteSpec spec, Function<Row, T> mapper) {
        return spec.map((row, meta) -> mapper.apply(new Row(row))).all().timeout(statementBound)
                .onErrorMap(Database::noConnection, Database::busy);
    }

    /** The number of rows changed. */
    public Mono<Long> update(DatabaseClient.GenericExecuteSpec spec) {
        return bounded(spec.fetch().rowsUpdated());
    }

    /** Binds {@code value}, or SQL NULL of the value's type when it is null. */
    public static <V> DatabaseClient.GenericExecuteSpec bindNullable(DatabaseClient.GenericExecuteSpec spec,
            String name, V value, Class<V> type) {
        return value == null ? spec.bindNull(name, type) : spec.bind(name, value);
    }

    /**
     * Runs {@code work} in one transaction: all its statements commit together or not at all. Each statement is
     * bounded by the statement timeout; the whole unit, BEGIN/COMMIT included, by the wait for its connection and
     * five statement timeouts.
     */
    public <T> Mono<T> inTransaction(Mono<T> work) {
        return transactions.transactional(work).timeout(transactionBound)
                .onErrorMap(Database::noConnection, Database::busy);
    }

    private <T> Mono<T> bounded(Mono<T> statement) {
        return statement.timeout(statementBound).onErrorMap(Database::noConnection, Database::busy);
    }

    /** Whether the failure is the pool's: no connection was free within the acquire timeout. */
    static boolean noConnection(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (e instanceof R2dbcTimeoutException && e.getMessage() != null
                    && e.getMessage().startsWith("Connection acquisition timed out")) {
                return true;
            }
        }
        return false;
    }

    private static MatrixException busy(Throwable cause) {
        return new MatrixException(ErrCode.M_LIMIT_EXCEEDED, 429, "The server is busy; try again shortly",
                Map.of("retry_after_ms", BUSY_RETRY_AFTER_MS));
    }

    /** A typed view of one result row. */
    public record Row(io.r2dbc.spi.Row raw) {

        public String string(String column) {
            return raw.get(column, String.class);
        }

        public Long longValue(String column) {
            return raw.get(column, Long.class);
        }

        public Integer intValue(String column) {
            return raw.get(column, Integer.class);
        }

        public boolean bool(String column) {
            Boolean b = raw.get(column, Boolean.class);
            return b != null && b;
        }

        public String json(String column) {
            Object value = raw.get(column);
            return value == null ? null : value instanceof io.r2dbc.postgresql.codec.Json j ? j.asString()
                    : value.toString();
        }
    }
}
