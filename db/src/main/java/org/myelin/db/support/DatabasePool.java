package org.myelin.db.support;

import java.time.Duration;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.spi.ValidationDepth;

/**
 * The R2DBC pool every repository of a node shares, and its two time limits, which are kept apart: PostgreSQL
 * itself cancels a statement that runs longer than the statement timeout ({@code statement_timeout}, set on every
 * connection), so the time a request waits for a free connection never counts against it; that wait has its own
 * bound, the acquire timeout, after which {@link Database} answers that the server is busy.
 */
public final class DatabasePool {

    /**
     * @param maxSize          most connections held
     * @param statementTimeout longest one statement may run, in PostgreSQL
     * @param acquireTimeout   longest a statement or transaction waits for a free connection
     * @param connectTimeout   longest to wait for a new connection to be opened
     */
    public record Settings(int maxSize, Duration statementTimeout, Duration acquireTimeout, Duration connectTimeout) {
    }

    /** Where the database is. */
    public record Coordinates(String host, int port, String database, String user, String password) {
    }

    private DatabasePool() {
    }

    public static ConnectionPool create(Coordinates c, Settings settings) {
        PostgresqlConnectionFactory factory = new PostgresqlConnectionFactory(PostgresqlConnectionConfiguration
                .builder()
                .host(c.host()).port(c.port()).database(c.database()).username(c.user()).password(c.password())
                .applicationName("myelin")
                .connectTimeout(settings.connectTimeout())
                .statementTimeout(settings.statementTimeout())
                .build());
        return new ConnectionPool(ConnectionPoolConfiguration.builder(factory)
                .name("myelin")
                .maxSize(settings.maxSize())
                .initialSize(Math.min(2, settings.maxSize()))
                .maxAcquireTime(settings.acquireTimeout())
                // A connection is checked locally (still open) when taken from the pool, not with a query: a
                // round trip before every statement would double the round trips of every read.
                .validationDepth(ValidationDepth.LOCAL)
                .build());
    }
}
