package org.myelin.homeserver.database;

import org.myelin.db.support.Database;
import org.myelin.db.support.DatabasePool;
import org.myelin.homeserver.config.MyelinProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

import io.r2dbc.pool.ConnectionPool;

/** The database server, the schema migration (and search index settings) and the R2DBC pool every repository shares. */
@Configuration(proxyBeanMethods = false)
public class DatabaseConfiguration {

    @Bean(destroyMethod = "close")
    DatabaseServer databaseServer(MyelinProperties properties) {
        DatabaseServer server = DatabaseServer.open(properties.db().url(), properties.dataDir());
        SchemaMigrator.migrate(server.coordinates());
        SearchIndexSettings.apply(server.coordinates(), properties.search().textSearchConfig());
        return server;
    }

    @Bean(destroyMethod = "dispose")
    ConnectionPool connectionFactory(DatabaseServer server, MyelinProperties properties) {
        DatabaseCoordinates c = server.coordinates();
        return DatabasePool.create(new DatabasePool.Coordinates(c.host(), c.port(), c.database(), c.user(),
                c.password()), settings(properties.db()));
    }

    private static DatabasePool.Settings settings(MyelinProperties.Db db) {
        return new DatabasePool.Settings(db.poolMaxSize(), db.statementTimeout(), db.poolAcquireTimeout(),
                db.connectTimeout());
    }

    @Bean
    DatabaseClient databaseClient(ConnectionPool pool) {
        return DatabaseClient.create(pool);
    }

    @Bean
    R2dbcTransactionManager transactionManager(ConnectionPool pool) {
        return new R2dbcTransactionManager(pool);
    }

    @Bean
    Database database(DatabaseClient client, R2dbcTransactionManager transactionManager,
            MyelinProperties properties) {
        return new Database(client, TransactionalOperator.create(transactionManager),
                properties.db().statementTimeout(), properties.db().poolAcquireTimeout());
    }
}
