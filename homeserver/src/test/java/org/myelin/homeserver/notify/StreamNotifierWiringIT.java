package org.myelin.homeserver.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.myelin.db.notify.StreamNotifier;
import org.myelin.db.notify.StreamPosition;
import org.myelin.db.notify.StreamPublisher;
import org.myelin.db.support.Database;
import org.myelin.homeserver.support.HomeserverIT;
import org.springframework.beans.factory.annotation.Autowired;

import reactor.core.Disposable;

/** The running server listens on its own connection and hears what its publisher sends. */
class StreamNotifierWiringIT extends HomeserverIT {

    @Autowired
    private StreamNotifier notifier;

    @Autowired
    private StreamPublisher publisher;

    @Autowired
    private Database db;

    @Test
    void theServerShouldListenOnADedicatedConnectionAndHearItsOwnPublisher() throws InterruptedException {
        BlockingQueue<StreamPosition> heard = new LinkedBlockingQueue<>();
        Disposable subscription = notifier.positions().filter(p -> !p.isResync()).subscribe(heard::add);
        try {
            StreamPosition got = null;
            for (int attempt = 0; attempt < 50 && got == null; attempt++) {
                // LISTEN is set up in the background at start-up; publish until it is surely active.
                publisher.publish(StreamPosition.of("events", attempt, "!room:test.local"))
                        .block(Duration.ofSeconds(5));
                got = heard.poll(200, TimeUnit.MILLISECONDS);
            }

            assertThat(notifier.isRunning()).isTrue();
            assertThat(got).isNotNull();
            assertThat(got.stream()).isEqualTo("events");
            assertThat(got.scope()).isEqualTo("!room:test.local");
            assertThat(db.one(db.sql("SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = :app "
                    + "AND datname = current_database()").bind("app", NotifierConfiguration.APPLICATION_NAME),
                    r -> r.longValue("n")).block(Duration.ofSeconds(5))).isEqualTo(1L);
        } finally {
            subscription.dispose();
        }
    }
}
