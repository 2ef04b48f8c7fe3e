package org.myelin.clientapi.slidingsync;

import java.time.Clock;
import java.time.Duration;

import org.myelin.db.slidingsync.SlidingSyncConnectionRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Once an hour on every node, deletes the sliding sync connections unused for longer than the expiry (their pos
 * would answer M_UNKNOWN_POS anyway). Idempotent, so several nodes may run it at once.
 */
@Component
public class ConnectionSweeper implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionSweeper.class);
    private static final Duration PERIOD = Duration.ofHours(1);

    private final SlidingSyncConnectionRepository connections;
    private final SlidingSyncSettings settings;
    private final Clock clock;
    private volatile Disposable running;

    public ConnectionSweeper(SlidingSyncConnectionRepository connections, SlidingSyncSettings settings,
            Clock clock) {
        this.connections = connections;
        this.settings = settings;
        this.clock = clock;
    }

    /** One sweep; emits how many connections went. */
    public Mono<Long> sweep() {
        return connections.deleteIdle(clock.millis() - settings.connectionExpiry().toMillis());
    }

    @Override
    public void start() {
        running = Flux.interval(PERIOD, PERIOD)
                .concatMap(tick -> sweep().onErrorResume(e -> {
                    LOG.warn("Sliding sync connection sweep failed: {}", e.toString());
                    return Mono.empty();
                }))
                .subscribe();
    }

    @Override
    public void stop() {
        Disposable d = running;
        if (d != null) {
            d.dispose();
        }
        running = null;
    }

    @Override
    public boolean isRunning() {
        return running != null;
    }
}
