package org.myelin.homeserver.slidingsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.myelin.homeserver.slidingsync.SlidingClient.at;
import static org.myelin.homeserver.slidingsync.SlidingClient.bodies;
import static org.myelin.homeserver.slidingsync.SlidingClient.list;
import static org.myelin.homeserver.slidingsync.SlidingClient.lists;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.myelin.clientapi.sync.LongPoll;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.TwoNodeIT;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A sliding sync connection lives in PostgreSQL: a client continues it on another node of the homeserver and
 * after that node restarts, a send on one node wakes a long-poll on the other, and a connection unused for longer
 * than the expiry answers M_UNKNOWN_POS on every node.
 */
class SlidingSyncNodesIT extends TwoNodeIT {

    private static final Map<String, Object> BODY = lists(Map.of("all", list(List.of(List.of(0, 9)), 3,
            List.of(List.of("m.room.name", "")), null)));

    @Test
    void aConnectionShouldContinueOnAnotherNodeAndAfterARestart() throws Exception {
        SlidingClient onA = new SlidingClient(http);
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        String roomId = onA.createRoom(alice, Map.of("preset", "public_chat", "name", "Shared"));
        onA.membership(bob, roomId, "join", Map.of());
        onA.send(alice, roomId, "before");
        Map<String, Object> first = onA.sync(bob, BODY, null, null);
        assertThat(bodies(at(first, "rooms", roomId, "timeline"))).contains("before");

        onA.send(alice, roomId, "after");
        Map<String, Object> onB = new SlidingClient(nodeB).sync(bob, BODY, (String) first.get("pos"), 0L);
        Map<String, Object> room = at(onB, "rooms", roomId);
        assertThat(room).doesNotContainKeys("initial", "name");
        assertThat(bodies(room.get("timeline"))).containsExactly("after");

        LongPoll polls = nodeBBean(LongPoll.class);
        int parked = polls.parked();
        String pos = (String) onB.get("pos");
        SlidingClient clientOnB = new SlidingClient(nodeB);
        CompletableFuture<Map<String, Object>> poll = CompletableFuture.supplyAsync(
                () -> clientOnB.sync(bob, BODY, pos, 20_000L));
        awaitCondition(() -> polls.parked() > parked, "bob's sliding sync on node B to be parked");
        onA.send(alice, roomId, "across nodes");
        Map<String, Object> woken = poll.get(10, TimeUnit.SECONDS);
        assertThat(bodies(at(woken, "rooms", roomId, "timeline"))).containsExactly("across nodes");

        restartNodeB();
        onA.send(alice, roomId, "after the restart");
        Map<String, Object> restarted = new SlidingClient(nodeB).sync(bob, BODY, (String) woken.get("pos"), 0L);
        assertThat(bodies(at(restarted, "rooms", roomId, "timeline"))).containsExactly("after the restart");
        assertThat((Map<String, Object>) at(restarted, "rooms", roomId)).doesNotContainKey("initial");
    }

    @Test
    void anExpiredConnectionShouldAnswerUnknownPosOnEveryNode() throws Exception {
        SlidingClient onA = new SlidingClient(http);
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        onA.createRoom(alice, Map.of("name", "Soon forgotten"));
        String pos = (String) onA.sync(alice, BODY, null, null).get("pos");
        WebTestClient strict = startNode(List.of("--myelin.sync.sliding-connection-expiry=1ms"));
        SlidingClient onStrict = new SlidingClient(strict);

        // Every request takes longer than a millisecond, so the node with that expiry soon finds it unused too long.
        awaitCondition(() -> onStrict.request(alice, BODY, pos, 0L).returnResult(String.class).getStatus()
                .value() == 400, "the connection to expire on the strict node");

        Map<String, Object> error = expectError(onStrict.request(alice, BODY, pos, 0L), 400, "M_UNKNOWN_POS");
        assertThat(error).containsKey("error");
        expectError(onA.request(alice, BODY, pos, 0L), 400, "M_UNKNOWN_POS");
        Map<String, Object> again = onA.sync(alice, BODY, null, null);
        assertThat((Map<String, Object>) at(again, "rooms")).hasSize(1);
    }
}
