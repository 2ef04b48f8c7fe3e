package org.myelin.clientapi.push.pushers;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.myelin.clientapi.push.PushSettings;
import org.myelin.clientapi.push.WakeUpLoop;
import org.myelin.clientapi.push.notify.PushEvaluationWorker;
import org.myelin.db.notify.StreamNotifier;
import org.myelin.db.push.NotificationRepository;
import org.myelin.db.push.PusherRepository;
import org.myelin.db.push.PusherRepository.Delivery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Delivers queued notifications to push gateways, on every node: after each wake-up of the notifications stream
 * and every {@link #TICK}, it claims due deliveries (each by one node, under a lease), sends them, and deletes each
 * one the gateway accepted. A failure (an error status, no answer within the time limit, an unreachable or refused
 * address) delays the delivery and its pusher by {@link PushSettings#retryInitial()} doubled per failure in a row;
 * a notification whose next delay would pass {@link PushSettings#retryMax()} is given up. A pushkey the gateway
 * rejects loses its pusher, as the Push Gateway API requires.
 */
public final class PushDeliverer implements SmartLifecycle {

    static final Duration TICK = Duration.ofSeconds(1);
    static final int BATCH = 20;
    static final int CONCURRENCY = 8;
    private static final Logger LOG = LoggerFactory.getLogger(PushDeliverer.class);

    private final PusherRepository pushers;
    private final NotificationRepository notifications;
    private final PushGatewayClient gateway;
    private final PushSettings settings;
    private final Clock clock;
    private final String node = UUID.randomUUID().toString();
    private final WakeUpLoop loop;

    public PushDeliverer(PusherRepository pushers, NotificationRepository notifications, PushGatewayClient gateway,
            StreamNotifier notifier, PushSettings settings, Clock clock) {
        this.pushers = pushers;
        this.notifications = notifications;
        this.gateway = gateway;
        this.loop = new WakeUpLoop("Push delivery", TICK, notifier,
                p -> PushEvaluationWorker.STREAM.equals(p.stream()));
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public void start() {
        loop.start(this::deliverDue);
    }

    @Override
    public void stop() {
        loop.stop();
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }

    /** Claims and sends due deliveries until none is left; emits how many were handled. */
    public Mono<Long> deliverDue() {
        long now = clock.millis();
        long lease = settings.gatewayTimeout().toMillis() * 2 + TICK.toMillis();
        return pushers.claim(node, now, now + lease, BATCH).flatMap(claimed -> claimed.isEmpty() ? Mono.just(0L)
                : Flux.fromIterable(claimed).flatMap(this::deliver, CONCURRENCY).then(
                        claimed.size() < BATCH ? Mono.just((long) claimed.size())
                                : deliverDue().map(more -> more + claimed.size())));
    }

    private Mono<Void> deliver(Delivery delivery) {
        String userId = delivery.pusher().userId();
        return notifications.notified(userId, delivery.eventId())
                .flatMap(notified -> notifications.totalUnread(userId)
                        .flatMap(unread -> gateway.notify(delivery.pusher(), delivery.eventId(), notified, unread)))
                .map(Optional::of).defaultIfEmpty(Optional.empty())
                .flatMap(outcome -> outcome.isEmpty() ? pushers.drop(delivery, node) // the notification is gone
                        : outcome.get().accepted() ? accepted(delivery, outcome.get().rejected()) : failed(delivery))
                .onErrorResume(e -> {
                    LOG.warn("Delivering a push to {} failed: {}", userId, e.toString());
                    return failed(delivery);
                });
    }

    private Mono<Void> accepted(Delivery delivery, List<String> rejected) {
        Mono<Void> done = pushers.delivered(delivery, node);
        if (!rejected.contains(delivery.pusher().pushkey())) {
            return done;
        }
        LOG.info("The push gateway rejected a pushkey of {}; removing the pusher", delivery.pusher().userId());
        return done.then(pushers.delete(delivery.pusher().userId(), delivery.pusher().appId(),
                delivery.pusher().pushkey())).then();
    }

    private Mono<Void> failed(Delivery delivery) {
        long delay = settings.retryInitial().toMillis() << Math.min(delivery.attempts(), 30);
        if (delay > settings.retryMax().toMillis()) {
            LOG.info("Giving up a push to {} after {} attempts", delivery.pusher().userId(), delivery.attempts() + 1);
            return pushers.drop(delivery, node);
        }
        return pushers.failed(delivery, node, clock.millis() + delay);
    }
}
