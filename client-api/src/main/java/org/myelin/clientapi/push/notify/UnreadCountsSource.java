package org.myelin.clientapi.push.notify;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.myelin.clientapi.sync.SyncRequest;
import org.myelin.clientapi.sync.SyncResponseBuilder;
import org.myelin.clientapi.sync.SyncStreamSource;
import org.myelin.db.notify.StreamNotifier;
import org.myelin.db.notify.StreamPosition;
import org.myelin.db.push.NotificationRepository;
import org.myelin.db.push.NotificationRepository.Unread;
import org.myelin.db.push.PushEvaluationRepository;
import org.myelin.ephemeral.StreamWriter;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code unread_notifications} and {@code unread_thread_notifications} of /sync's joined rooms
 * (https://spec.matrix.org/v1.19/client-server-api/#receiving-notifications): counted from the stored
 * notifications after the user's read receipts, per thread. When the filter's {@code room.timeline} sets
 * {@code unread_thread_notifications}, {@code unread_notifications} counts the main timeline only and each thread
 * with notifications has its own counts, keyed by its root; otherwise every thread adds to the room's counts.
 * Its stream is the one evaluation writes on: a room whose counts changed is reported even with nothing else new.
 * Sliding sync reads the same counts, every thread added to its room's, through {@link #roomCounts}.
 */
@Component
public class UnreadCountsSource implements SyncStreamSource {

    /**
     * How long a sync waits at most for evaluation to reach the events it may return; it checks again every
     * {@link #CATCH_UP_POLL} and whenever evaluation writes on its stream.
     */
    static final Duration CATCH_UP_WAIT = Duration.ofMillis(250);
    private static final Duration CATCH_UP_POLL = Duration.ofMillis(10);

    private final StreamWriter writer;
    private final NotificationRepository notifications;
    private final PushEvaluationRepository evaluation;
    private final StreamNotifier notifier;

    public UnreadCountsSource(StreamWriter writer, NotificationRepository notifications,
            PushEvaluationRepository evaluation, StreamNotifier notifier) {
        this.writer = writer;
        this.notifier = notifier;
        this.notifications = notifications;
        this.evaluation = evaluation;
    }

    /** A room's unread notifications and highlights. */
    public record Counts(long notifications, long highlights) {

        public static final Counts NONE = new Counts(0, 0);
    }

    /** The unread counts of {@code userId} in each of {@code roomIds}, every thread included; rooms with none absent. */
    public Mono<Map<String, Counts>> roomCounts(String userId, Collection<String> roomIds) {
        return notifications.unread(userId, roomIds).map(rows -> {
            Map<String, Counts> rooms = new HashMap<>();
            for (Unread row : rows) {
                rooms.merge(row.roomId(), new Counts(row.notifications(), row.highlights()),
                        (a, b) -> new Counts(a.notifications() + b.notifications(), a.highlights() + b.highlights()));
            }
            return rooms;
        });
    }

    @Override
    public String name() {
        return PushEvaluationWorker.STREAM;
    }

    /**
     * The notifications position once evaluation has caught up with the events position (waiting at most
     * {@link #CATCH_UP_WAIT}), so that the counts of a sync carrying an event include its notifications and its
     * token covers them: the next sync then has nothing new to say about it. Evaluation that lags longer is
     * reported when it lands, as a room whose counts changed.
     */
    @Override
    public Mono<Long> currentPosition() {
        return after(evaluation.caughtUp());
    }

    /**
     * The notifications position once evaluation has reached the events of {@code roomIds} in
     * {@code (since, upTo]} (waiting at most {@link #CATCH_UP_WAIT}), for a response whose counts are those
     * rooms' only (sliding sync): evaluation lagging on other rooms' events holds nothing up, and those rooms'
     * counts are reported when it lands.
     */
    public Mono<Long> positionCovering(Collection<String> roomIds, long since, long upTo) {
        return after(evaluation.caughtUp(roomIds, since, upTo));
    }

    /**
     * Checks again after {@link #CATCH_UP_POLL}, or as soon as evaluation stores a batch with notifications (its
     * write on the stream), whichever comes first.
     */
    private Mono<Long> after(Mono<Boolean> check) {
        Mono<Object> landed = notifier.positions().filter(p -> PushEvaluationWorker.STREAM.equals(p.stream()))
                .next().cast(Object.class);
        return check.filter(Boolean::booleanValue)
                .repeatWhenEmpty(attempts -> attempts.concatMap(attempt -> Mono.firstWithSignal(landed,
                        Mono.delay(CATCH_UP_POLL).cast(Object.class))))
                .timeout(CATCH_UP_WAIT, Mono.empty())
                .onErrorResume(e -> Mono.just(false)).defaultIfEmpty(false)
                .then(writer.current(PushEvaluationWorker.STREAM));
    }

    @Override
    public Mono<Void> contribute(SyncRequest request, long since, long upTo, SyncResponseBuilder out) {
        if (request.joinedRoomIds().isEmpty()) {
            return Mono.empty();
        }
        boolean perThread = request.filter().room().timeline().unreadThreadNotifications();
        Mono<Void> counts = notifications.unread(request.userId(), request.joinedRoomIds())
                .doOnNext(rows -> render(rows, perThread, out)).then();
        Mono<Void> changed = since == 0 ? Mono.empty()
                : notifications.changedRooms(request.userId(), since, upTo).doOnNext(rooms -> rooms.stream()
                        .filter(request.joinedRoomIds()::contains).forEach(out::unreadChanged)).then();
        return counts.then(changed);
    }

    static void render(List<Unread> rows, boolean perThread, SyncResponseBuilder out) {
        Map<String, long[]> rooms = new HashMap<>();
        Map<String, ObjectNode> threads = new HashMap<>();
        for (Unread row : rows) {
            long[] room = rooms.computeIfAbsent(row.roomId(), k -> new long[2]);
            if (perThread && !EventThreads.MAIN.equals(row.threadId())) {
                threads.computeIfAbsent(row.roomId(), k -> JsonNodeFactory.instance.objectNode())
                        .set(row.threadId(), counts(row.notifications(), row.highlights()));
            } else {
                room[0] += row.notifications();
                room[1] += row.highlights();
            }
        }
        rooms.forEach((roomId, c) -> out.roomUnread(roomId, counts(c[0], c[1]), threads.get(roomId)));
    }

    private static ObjectNode counts(long notifications, long highlights) {
        return JsonNodeFactory.instance.objectNode().put("highlight_count", highlights)
                .put("notification_count", notifications);
    }

    @Override
    public boolean concerns(StreamPosition position, SyncRequest request) {
        return PushEvaluationWorker.STREAM.equals(position.stream())
                && (position.scope() == null || request.joinedRoomIds().contains(position.scope()));
    }
}
