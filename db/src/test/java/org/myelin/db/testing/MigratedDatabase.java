package org.myelin.db.testing;

import java.time.Duration;

import org.flywaydb.core.Flyway;
import org.myelin.db.support.Database;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;

/** A fresh database with Myelin's real migrations applied, and a {@link Database} over it. */
public final class MigratedDatabase {

    private MigratedDatabase() {
    }

    public static Database create(String label) {
        TestDatabase.Db db = TestDatabase.fresh(label);
        Flyway.configure().dataSource(db.jdbcUrl(), db.user(), db.password())
                .locations("classpath:db/migration").load().migrate();
        PostgresqlConnectionFactory factory = new PostgresqlConnectionFactory(PostgresqlConnectionConfiguration
                .builder().host(db.host()).port(db.port()).database(db.database()).username(db.user())
                .password(db.password()).build());
        DatabaseClient client = DatabaseClient.create(factory);
        TransactionalOperator tx = TransactionalOperator.create(new R2dbcTransactionManager(factory));
        return new Database(client, tx, Duration.ofSeconds(10), Duration.ofSeconds(30));
    }
}
