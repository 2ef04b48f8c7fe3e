package org.myelin.db.support;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The one way repositories reach PostgreSQL: every statement gets the configured timeout, and
 * {@link #inTransaction} scopes a unit of work in one R2DBC transaction.
 */
public final class Database {

    private final DatabaseClient client;
    private final TransactionalOperator transactions;
    private final Duration timeout;

    public Database(DatabaseClient client, TransactionalOperator transactions, Duration timeout) {
        this.client = client;
        this.transactions = transactions;
        this.timeout = timeout;
    }

    /** A statement to bind and run; finish it with {@link #one}, {@link #many} or {@link #update}. */
    public DatabaseClient.GenericExecuteSpec sql(String sql) {
        return client.sql(sql);
    }

    /**
     * The first row mapped, or empty; bounded by the statement timeout. The result is read to its end rather than
     * cancelled after the first row: cancelling a PostgreSQL result mid-stream can leave the connection unusable
     * for its next borrower (r2dbc-postgresql issue 650; Apache James fetches eagerly for the same reason).
     */
    public <T> Mono<T> one(DatabaseClient.GenericExecuteSpec spec, Function<Row, T> mapper) {
        return spec.map((row, meta) -> mapper.apply(new Row(row))).all().collectList().timeout(timeout)
                .flatMap(rows -> rows.isEmpty() ? Mono.empty() : Mono.just(rows.get(0)));
    }

    /** Every row mapped, collected so the connection is released before the caller's next query. */
    public <T> Mono<List<T>> many(DatabaseClient.GenericExecuteSpec spec, Function<Row, T> mapper) {
        return spec.map((row, meta) -> mapper.apply(new Row(row))).all().collectList().timeout(timeout);
    }

    /** Rows streamed, for large reads; the caller must consume them before issuing another query. */
    public <T> Flux<T> stream(DatabaseClient.GenericExecuteSpec spec, Function<Row, T> mapper) {
        return spec.map((row, meta) -> mapper.apply(new Row(row))).all().timeout(timeout);
    }

    /** The number of rows changed. */
    public Mono<Long> update(DatabaseClient.GenericExecuteSpec spec) {
        return spec.fetch().rowsUpdated().timeout(timeout);
    }

    /** Binds {@code value}, or SQL NULL of the value's type when it is null. */
    public static <V> DatabaseClient.GenericExecuteSpec bindNullable(DatabaseClient.GenericExecuteSpec spec,
            String name, V value, Class<V> type) {
        return value == null ? spec.bindNull(name, type) : spec.bind(name, value);
    }

    /**
     * Runs {@code work} in one transaction: all its statements commit together or not at all. The whole unit,
     * connection acquisition and BEGIN/COMMIT included, is bounded by five statement timeouts.
     */
    public <T> Mono<T> inTransaction(Mono<T> work) {
        return transactions.transactional(work).timeout(timeout.multipliedBy(5));
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
