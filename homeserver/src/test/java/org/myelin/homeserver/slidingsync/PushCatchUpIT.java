package org.myelin.homeserver.slidingsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.myelin.homeserver.slidingsync.SlidingClient.at;
import static org.myelin.homeserver.slidingsync.SlidingClient.bodies;
import static org.myelin.homeserver.slidingsync.SlidingClient.list;
import static org.myelin.homeserver.slidingsync.SlidingClient.lists;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.myelin.db.push.PushEvaluationRepository;
import org.myelin.db.support.Database;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;
import org.myelin.room.api.ClientSyncApi;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A sliding sync response waits for push evaluation only on the rooms whose counts it carries, and counts that
 * evaluation had not reached come once it does. Evaluation is held still by taking its lease for another node
 * (as a node that took it over and hangs would), so nothing here depends on how fast it runs: every step waits on a
 * condition.
 */
class PushCatchUpIT extends HomeserverIT {

    private static final Duration DB_WAIT = Duration.ofSeconds(10);

    @Autowired
    private Database db;

    @Autowired
    private PushEvaluationRepository evaluation;

    @Autowired
    private ClientSyncApi syncApi;

    private SlidingClient client() {
        return new SlidingClient(http);
    }

    @AfterEach
    void release() {
        db.update(db.sql("UPDATE push_evaluation SET lease_owner = NULL, lease_until_ts = 0"
                + " WHERE id = 1 AND lease_owner = 'push-catch-up-it'")).block(DB_WAIT);
    }

    @Test
    void theWaitShouldConcernOnlyTheRoomsWithUnevaluatedEvents() throws Exception {
        SlidingClient client = client();
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        String busy = client.createRoom(alice, Map.of("preset", "public_chat"));
        String quiet = client.createRoom(alice, Map.of("preset", "public_chat"));
        awaitCondition(() -> evaluation.caughtUp().block(DB_WAIT), "evaluation to reach the rooms' creation");
        long since = syncApi.position().block(DB_WAIT);

        holdEvaluation();
        client.send(alice, busy, "not evaluated yet");
        long upTo = syncApi.position().block(DB_WAIT);

        assertThat(evaluation.caughtUp(List.of(busy), since, upTo).block(DB_WAIT)).isFalse();
        assertThat(evaluation.caughtUp(List.of(busy, quiet), since, upTo).block(DB_WAIT)).isFalse();
        assertThat(evaluation.caughtUp(List.of(quiet), since, upTo).block(DB_WAIT)).isTrue();
        assertThat(evaluation.caughtUp(List.of(busy), upTo, upTo).block(DB_WAIT)).isTrue();

        release();
        awaitCondition(() -> evaluation.caughtUp(List.of(busy), since, upTo).block(DB_WAIT),
                "evaluation to reach the message once its lease is free");
    }

    @Test
    void countsThatEvaluationHadNotReachedShouldComeWhenItLands() throws Exception {
        SlidingClient client = client();
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        String roomId = client.createRoom(alice, Map.of("preset", "public_chat"));
        client.membership(bob, roomId, "join", Map.of());
        Map<String, Object> body = lists(Map.of("all", list(List.of(List.of(0, 9)), 1, List.of(), null)));
        awaitCondition(() -> evaluation.caughtUp().block(DB_WAIT), "evaluation to reach bob's join");
        String pos = (String) client.sync(bob, body, null, null).get("pos");

        holdEvaluation();
        client.send(alice, roomId, "counted late");
        Map<String, Object> early = client.sync(bob, body, pos, 0L);
        Map<String, Object> room = at(early, "rooms", roomId);
        assertThat(bodies(room.get("timeline"))).containsExactly("counted late");
        assertThat(room).containsEntry("notification_count", 0);

        release();
        AtomicReference<String> at = new AtomicReference<>((String) early.get("pos"));
        AtomicReference<Map<String, Object>> counted = new AtomicReference<>();
        awaitCondition(() -> {
            Map<String, Object> sync = client.sync(bob, body, at.get(), 1_000L);
            at.set((String) sync.get("pos"));
            Map<String, Object> r = at(sync, "rooms", roomId);
            counted.set(r);
            return r != null && Integer.valueOf(1).equals(r.get("notification_count"));
        }, "the room's count once evaluation lands");
        assertThat(counted.get()).doesNotContainKeys("timeline", "initial");
    }

    /**
     * Takes evaluation's lease over for a node that does not exist, so that no node evaluates until it is released
     * (a batch the server had under way fails its compare-and-set and is not stored).
     */
    private void holdEvaluation() {
        db.update(db.sql("UPDATE push_evaluation SET lease_owner = 'push-catch-up-it', lease_until_ts = :until"
                + " WHERE id = 1").bind("until", Long.MAX_VALUE / 2)).block(DB_WAIT);
    }
}
