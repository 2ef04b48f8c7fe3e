package org.myelin.homeserver.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.homeserver.support.Accounts;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.MatrixErrors;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * {@code kill -9} of Myelin in the middle of a send storm, with the embedded PostgreSQL (no {@code MYELIN_DB_URL}):
 * Myelin alone, Myelin with its PostgreSQL, and Myelin with the watchdog that would stop its PostgreSQL. Each time
 * Myelin starts again on the same data directory within {@link #RESTART_DEADLINE}, and every message it had
 * acknowledged is in /messages, in the order it was acknowledged per sender.
 */
class EmbeddedPostgresCrashIT {

    private static final Duration FIRST_START_DEADLINE = Duration.ofSeconds(120);
    private static final Duration RESTART_DEADLINE = Duration.ofSeconds(60);
    private static final int SENDERS = 3;
    private static final int SENDS_BEFORE_KILL = 20;

    @TempDir
    Path tmp;

    private final List<MyelinProcess> started = new ArrayList<>();

    @Test
    void killingMyelinAloneShouldLoseNothingAndLetItStartAgain() throws Exception {
        MyelinProcess first = start("first");
        Storm storm = stormUntilKilled(first, first::kill);

        restartAndCheck(storm);
    }

    @Test
    void killingMyelinAndItsPostgresTogetherShouldLoseNothing() throws Exception {
        MyelinProcess first = start("first");
        Storm storm = stormUntilKilled(first, () -> {
            killPostgres();
            first.kill();
        });

        restartAndCheck(storm);
    }

    @Test
    void anOrphanedPostgresShouldBeStoppedAtTheNextStart() throws Exception {
        MyelinProcess first = start("first");
        List<ProcessHandle> watchdog = first.process.descendants().toList();
        assertThat(watchdog).as("the watchdog").isNotEmpty();
        long orphan = postmaster().orElseThrow().pid();
        Storm storm = stormUntilKilled(first, () -> {
            watchdog.forEach(ProcessHandle::destroyForcibly);
            first.kill();
        });
        assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive)).as("the orphaned postmaster").contains(true);

        MyelinProcess second = restartAndCheck(storm);
        assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive)).as("the orphaned postmaster")
                .isNotEqualTo(Optional.of(true));
        assertThat(Files.readString(second.log)).contains("Stopped the embedded PostgreSQL (pid " + orphan);
    }

    @Test
    void theWatchdogShouldStopPostgresWhenMyelinIsKilled() throws Exception {
        MyelinProcess first = start("first");
        ProcessHandle postmaster = ProcessHandle.of(postmaster().orElseThrow().pid()).orElseThrow();

        first.kill();

        postmaster.onExit().get(10, TimeUnit.SECONDS);
        assertThat(PostmasterPid.read(pgData())).as("postmaster.pid after a clean shutdown").isEmpty();
        assertThat(Files.readString(first.log)).contains("stopping its embedded PostgreSQL");
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (MyelinProcess myelin : started) {
            myelin.stop();
        }
        killPostgres();
    }

    /** A storm of sends, killed with {@code kill} once every sender has had some sends acknowledged. */
    private Storm stormUntilKilled(MyelinProcess myelin, Kill kill) throws Exception {
        WebTestClient http = myelin.client();
        Accounts accounts = new Accounts(http);
        List<Session> senders = IntStream.range(0, SENDERS)
                .mapToObj(i -> accounts.register("sender" + i, "password-" + i)).toList();
        String roomId = (String) MatrixErrors.body(http.post().uri("/_matrix/client/v3/createRoom")
                .header("Authorization", senders.get(0).bearer()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("preset", "public_chat")).exchange().expectStatus().isOk()).get("room_id");
        for (Session sender : senders.subList(1, SENDERS)) {
            http.post().uri("/_matrix/client/v3/rooms/{room}/join", roomId).header("Authorization", sender.bearer())
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of()).exchange().expectStatus().isOk();
        }
        SendStorm storm = new SendStorm(http, roomId).start(senders);
        await(() -> storm.acknowledged().values().stream().allMatch(ids -> ids.size() >= SENDS_BEFORE_KILL)
                || !storm.failures().isEmpty(), "every sender to have " + SENDS_BEFORE_KILL + " sends acknowledged");
        assertThat(storm.failures()).as("sends failing before the kill").isEmpty();

        long killed = System.nanoTime();
        kill.run();
        storm.awaitStopped();
        assertThat(storm.failures()).as("every sender stops at its first failed send").hasSize(SENDERS)
                .allSatisfy(f -> assertThat(f.nanos()).as("failed after the kill: %s", f.cause())
                        .isGreaterThanOrEqualTo(killed));
        return new Storm(roomId, senders.get(0), storm);
    }

    private MyelinProcess restartAndCheck(Storm storm) throws Exception {
        MyelinProcess second = MyelinProcess.start(pgData().getParent(), tmp.resolve("second.log"));
        started.add(second);
        Duration took = second.awaitHttp(RESTART_DEADLINE);
        System.out.println("Myelin answered " + took.toMillis() + " ms after its restart");

        Map<String, List<String>> stored = messagesBySender(second.client(), storm);
        storm.sends().acknowledged().forEach((sender, acknowledged) -> {
            assertThat(acknowledged).as("acknowledged sends of %s", sender).hasSizeGreaterThanOrEqualTo(
                    SENDS_BEFORE_KILL);
            List<String> kept = stored.getOrDefault(sender, List.of());
            assertThat(kept).as("the messages of %s after the restart", sender)
                    .startsWith(acknowledged.toArray(String[]::new))
                    .as("at most the one send in flight at the kill, unacknowledged, besides")
                    .hasSizeLessThanOrEqualTo(acknowledged.size() + 1);
        });
        return second;
    }

    /** The m.room.message event IDs of the room per sender, oldest first, through /messages dir=f. */
    @SuppressWarnings("unchecked")
    private static Map<String, List<String>> messagesBySender(WebTestClient http, Storm storm) {
        Map<String, List<String>> bySender = new HashMap<>();
        String from = null;
        while (true) {
            String uri = "/_matrix/client/v3/rooms/{room}/messages?dir=f&limit=100"
                    + (from == null ? "" : "&from={from}");
            Map<String, Object> page = MatrixErrors.body(http.get().uri(uri, storm.roomId(), from)
                    .header("Authorization", storm.reader().bearer()).exchange().expectStatus().isOk());
            List<Map<String, Object>> chunk = (List<Map<String, Object>>) page.get("chunk");
            chunk.stream().filter(e -> "m.room.message".equals(e.get("type"))).forEach(e -> bySender
                    .computeIfAbsent((String) e.get("sender"), s -> new ArrayList<>()).add((String) e.get("event_id")));
            if (chunk.isEmpty() || page.get("end") == null) {
                return bySender;
            }
            from = (String) page.get("end");
        }
    }

    private MyelinProcess start(String name) throws Exception {
        MyelinProcess myelin = MyelinProcess.start(pgData().getParent(), tmp.resolve(name + ".log"));
        started.add(myelin);
        myelin.awaitHttp(FIRST_START_DEADLINE);
        return myelin;
    }

    private Path pgData() throws IOException {
        return Files.createDirectories(tmp.resolve("data")).resolve("postgres");
    }

    private Optional<PostmasterPid> postmaster() throws IOException {
        return PostmasterPid.read(pgData());
    }

    /** kill -9 of the postmaster running on the data directory, if any, and every process it started. */
    private void killPostgres() throws IOException {
        Path pgData = pgData();
        Optional<ProcessHandle> postmaster = postmaster().flatMap(p -> ProcessHandle.of(p.pid()))
                .filter(p -> EmbeddedPostgresOrphans.isPostgresIn(p, pgData));
        if (postmaster.isPresent()) {
            List<ProcessHandle> children = postmaster.get().descendants().toList();
            postmaster.get().destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private interface Kill {
        void run() throws Exception;
    }

    private record Storm(String roomId, Session reader, SendStorm sends) {
    }
}
