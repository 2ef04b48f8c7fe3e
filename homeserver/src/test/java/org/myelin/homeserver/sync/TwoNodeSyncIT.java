package org.myelin.homeserver.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.myelin.homeserver.sync.SyncClient.at;
import static org.myelin.homeserver.sync.SyncClient.bodies;
import static org.myelin.homeserver.sync.SyncClient.events;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.myelin.clientapi.sync.LongPoll;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.TwoNodeIT;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A send on one node wakes a /sync long-poll waiting on another node of the same homeserver. */
class TwoNodeSyncIT extends TwoNodeIT {

    private static final Logger LOG = LoggerFactory.getLogger(TwoNodeSyncIT.class);

    @Test
    void sendOnNodeAShouldWakeALongPollOnNodeB() throws Exception {
        SyncClient nodeA = new SyncClient(http);
        SyncClient onB = new SyncClient(nodeB);
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        String roomId = nodeA.createRoom(alice, Map.of("preset", "public_chat"));
        nodeA.membership(bob, roomId, "join", Map.of());
        String since = onB.settledToken(bob);

        long[] worst = {0};
        for (int round = 1; round <= 3; round++) {
            String from = since;
            LongPoll polls = nodeBBean(LongPoll.class);
            int parkedBefore = polls.parked();
            CompletableFuture<Map<String, Object>> poll = CompletableFuture.supplyAsync(
                    () -> onB.sync(bob, "since", from, "timeout", "20000"));
            awaitCondition(() -> polls.parked() > parkedBefore, "bob's poll on node B to be parked");
            assertThat(poll).isNotDone();

            long sent = System.nanoTime();
            nodeA.send(alice, roomId, "round " + round);
            long sendMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
            Map<String, Object> woken = poll.get(10, TimeUnit.SECONDS);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);

            LOG.info("round {}: long-poll on node B answered {} ms after the send on node A started"
                    + " (the send itself took {} ms)", round, millis, sendMillis);
            worst[0] = Math.max(worst[0], millis);
            assertThat(bodies(events(at(woken, "rooms", "join", roomId, "timeline")))).containsExactly("round " + round);
            since = (String) woken.get("next_batch");
        }
        assertThat(worst[0]).isLessThan(2000);
    }
}
