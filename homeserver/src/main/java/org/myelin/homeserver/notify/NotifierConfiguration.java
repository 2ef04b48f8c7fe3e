package org.myelin.homeserver.notify;

import org.myelin.db.notify.StreamNotifier;
import org.myelin.db.notify.StreamPublisher;
import org.myelin.db.support.Database;
import org.myelin.homeserver.config.MyelinProperties;
import org.myelin.homeserver.database.DatabaseCoordinates;
import org.myelin.homeserver.database.DatabaseServer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import reactor.core.scheduler.Schedulers;

/**
 * Cross-node wake-ups (docs/adr/0006-cross-node-wakeups.md): the publisher every writer uses, and this node's
 * listener on its own connection, outside the pool (a pooled connection would carry LISTEN to other users).
 */
@Configuration(proxyBeanMethods = false)
public class NotifierConfiguration {

    /** Shown in {@code pg_stat_activity}, so operators can tell the listener from pooled connections. */
    static final String APPLICATION_NAME = "myelin-listener";

    @Bean
    StreamPublisher streamPublisher(Database db) {
        return new StreamPublisher(db, StreamNotifier.DEFAULT_CHANNEL);
    }

    @Bean
    StreamNotifier streamNotifier(DatabaseServer server, MyelinProperties properties) {
        DatabaseCoordinates c = server.coordinates();
        PostgresqlConnectionFactory listenerConnections = new PostgresqlConnectionFactory(
                PostgresqlConnectionConfiguration.builder()
                        .host(c.host()).port(c.port()).database(c.database()).username(c.user())
                        .password(c.password())
                        .applicationName(APPLICATION_NAME)
                        .connectTimeout(properties.db().connectTimeout())
                        .tcpKeepAlive(true)
                        .build());
        return new StreamNotifier(listenerConnections,
                StreamNotifier.Settings.defaults(properties.db().statementTimeout()), Schedulers.parallel());
    }

    @Bean
    StreamNotifierLifecycle streamNotifierLifecycle(StreamNotifier notifier) {
        return new StreamNotifierLifecycle(notifier);
    }
}
