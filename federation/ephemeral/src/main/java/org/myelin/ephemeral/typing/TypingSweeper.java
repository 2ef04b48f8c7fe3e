package org.myelin.ephemeral.typing;

import java.time.Clock;
import java.time.Duration;

import org.myelin.db.ephemeral.TypingRepository;
import org.myelin.ephemeral.StreamWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Gives lapsed typing notifications a position once a second, so that syncs on every node learn that the user
 * stopped. Readers never depend on it to decide who types; it only publishes. Every node runs one: the sweep is
 * an UPDATE of active rows, so two nodes never both sweep the same row, and the probe before it is one indexed
 * EXISTS.
 */
@Component
public class TypingSweeper implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(TypingSweeper.class);
    private static final Duration PERIOD = Duration.ofSeconds(1);

    private final StreamWriter writer;
    private final TypingRepository typing;
    private final Clock clock;
    private volatile Disposable running;

    public TypingSweeper(StreamWriter writer, TypingRepository typing, Clock clock) {
        this.writer = writer;
        this.typing = typing;
        this.clock = clock;
    }

    /** One sweep: emits the position given to lapsed notifications, or nothing when none had lapsed. */
    public Mono<Long> sweepOnce() {
        long now = clock.millis();
        return typing.anyDue(now).filter(due -> due)
                .flatMap(due -> writer.write(TypingService.STREAM, 1, position -> typing.sweep(now, position)));
    }

    @Override
    public void start() {
        running = Flux.interval(PERIOD).onBackpressureDrop()
                .concatMap(tick -> sweepOnce().onErrorResume(e -> {
                    LOG.warn("Typing sweep failed; retrying in {}", PERIOD, e);
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
