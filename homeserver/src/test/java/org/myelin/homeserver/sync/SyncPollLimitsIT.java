package org.myelin.homeserver.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.myelin.homeserver.sync.SyncClient.at;
import static org.myelin.homeserver.sync.SyncClient.bodies;
import static org.myelin.homeserver.sync.SyncClient.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.myelin.clientapi.sync.LongPoll;
import org.myelin.clientapi.sync.SyncPolls;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * One user cannot stall /sync for everybody: identical long-polls of one access token share one poll, and a token
 * holding more different polls than allowed gets its oldest answered at once (as at its timeout).
 */
class SyncPollLimitsIT extends HomeserverIT {

    private static final int IDENTICAL_POLLS = 200;

    private final ExecutorService clients = Executors.newFixedThreadPool(IDENTICAL_POLLS);

    @Autowired
    private SyncPolls polls;

    @Autowired
    private LongPoll longPoll;

    @AfterEach
    void stopClients() {
        clients.shutdownNow();
    }

    @Test
    void identicalPollsOfOneTokenShouldShareOnePollAndAllGetTheMessage() throws Exception {
        SyncClient client = new SyncClient(http);
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        String roomId = client.createRoom(alice, Map.of("preset", "public_chat"));
        client.membership(bob, roomId, "join", Map.of());
        String since = client.settledToken(alice);

        List<CompletableFuture<Map<String, Object>>> waiting = new ArrayList<>();
        for (int i = 0; i < IDENTICAL_POLLS; i++) {
            waiting.add(CompletableFuture.supplyAsync(
                    () -> client.sync(alice, "since", since, "timeout", "30000", "set_presence", "offline"), clients));
        }
        awaitCondition(() -> longPoll.parked() == 1 && polls.inFlight() == 1, "the shared poll to be parked");
        assertThat(waiting).noneMatch(CompletableFuture::isDone);

        // Presence stays out of it: a user coming online would wake the polls with presence alone.
        Map<String, Object> other = client.sync(bob, "timeout", "0", "set_presence", "offline");
        assertThat(other).containsKey("next_batch");
        client.send(bob, roomId, "one for all");

        for (CompletableFuture<Map<String, Object>> poll : waiting) {
            Map<String, Object> woken = poll.get(20, TimeUnit.SECONDS);
            assertThat(bodies(events(at(woken, "rooms", "join", roomId, "timeline")))).containsExactly("one for all");
        }
        awaitCondition(() -> polls.inFlight() == 0, "the shared poll to end");
    }

    @Test
    void aTokenOverItsPollLimitShouldHaveItsOldestPollAnsweredAtOnce() throws Exception {
        SyncClient client = new SyncClient(http);
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        String roomId = client.createRoom(alice, Map.of());
        // Every poll starts from the current token; a different filter makes each a different poll.
        String newest = (String) client.sync(alice, "set_presence", "offline").get("next_batch");
        List<CompletableFuture<Map<String, Object>>> waiting = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String filter = "{\"room\":{\"timeline\":{\"limit\":" + (i + 1) + "}}}";
            int before = polls.inFlight();
            waiting.add(CompletableFuture.supplyAsync(
                    () -> client.sync(alice, "since", newest, "timeout", "30000", "filter", filter,
                            "set_presence", "offline"), clients));
            awaitCondition(() -> polls.inFlight() > before || waiting.get(0).isDone(), "poll " + i + " to start");
        }

        Map<String, Object> cut = waiting.get(0).get(10, TimeUnit.SECONDS);
        assertThat(at(cut, "rooms", "join")).isEmpty();
        assertThat((String) cut.get("next_batch")).isNotBlank();
        assertThat(waiting.subList(1, 5)).noneMatch(CompletableFuture::isDone);
        assertThat(polls.inFlight()).isEqualTo(4);

        client.send(alice, roomId, "for the four");
        for (CompletableFuture<Map<String, Object>> poll : waiting.subList(1, 5)) {
            assertThat(bodies(events(at(poll.get(20, TimeUnit.SECONDS), "rooms", "join", roomId, "timeline"))))
                    .containsExactly("for the four");
        }
    }
}
