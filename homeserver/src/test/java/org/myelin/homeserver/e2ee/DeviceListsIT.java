package org.myelin.homeserver.e2ee;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.myelin.clientapi.sync.LongPoll;
import org.myelin.homeserver.support.Accounts.Session;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;

/**
 * The "device_lists" part of /sync and GET /keys/changes: key uploads, device deletions, and users who start or stop
 * sharing a room; a change wakes a waiting long-poll. And the to-device limit of 100 messages per sync.
 */
class DeviceListsIT extends E2eeIT {

    @Autowired
    private LongPoll longPoll;

    @Test
    void aKeyUploadShouldWakeTheLongPollOfEveryoneSharingARoom() throws Exception {
        Session alice = user("dla");
        Session bob = user("dlb");
        Session stranger = user("dlc");
        String room = createRoom(alice);
        membership(bob, room, "join");
        // The first incremental sync after an initial one returns at once (coming online): settle first.
        String bobSince = (String) sync(bob, (String) sync(bob, null, 0).get("next_batch"), 0).get("next_batch");
        String strangerSince = (String) sync(stranger, null, 0).get("next_batch");
        int parked = longPoll.parked();

        CompletableFuture<Map<String, Object>> waiting = CompletableFuture.supplyAsync(
                () -> sync(bob, bobSince, 20_000));
        awaitCondition(() -> longPoll.parked() > parked, "bob's long-poll to park");
        upload(alice, KeysIT.wrap("device_keys", device(alice).deviceKeys()));

        Map<String, Object> woken = waiting.get();
        assertThat(at(woken, "device_lists", "changed")).isEqualTo(List.of(alice.userId()));
        assertThat(at(sync(alice, null, 0), "device_one_time_keys_count", "signed_curve25519")).isEqualTo(0);
        assertThat(at(sync(stranger, strangerSince, 0), "device_lists", "changed")).as("shares no room")
                .isEqualTo(List.of());
    }

    @Test
    void usersShouldAppearInChangedWhenTheyStartSharingARoomAndInLeftWhenTheyStop() {
        Session alice = user("dld");
        Session carol = user("dle");
        String room = createRoom(alice);
        String since = (String) sync(alice, null, 0).get("next_batch");

        membership(carol, room, "join");
        Map<String, Object> joined = sync(alice, since, 0);
        assertThat(at(joined, "device_lists", "changed")).isEqualTo(List.of(carol.userId()));
        Map<String, Object> carolsView = ok(json(HttpMethod.GET, V3 + "/keys/changes?from=" + since + "&to="
                + joined.get("next_batch"), null, alice));
        assertThat(carolsView.get("changed")).isEqualTo(List.of(carol.userId()));

        membership(carol, room, "leave");
        Map<String, Object> left = sync(alice, (String) joined.get("next_batch"), 0);
        assertThat(at(left, "device_lists", "left")).isEqualTo(List.of(carol.userId()));
        assertThat(at(left, "device_lists", "changed")).isEqualTo(List.of());
    }

    @Test
    void deletingADeviceShouldBeAChangeForTheUserAndTheirContacts() {
        Session alice = user("dlf");
        Session laptop = accounts.login(alice.userId(), "pw-dlf-1", false);
        Session bob = user("dlg");
        String room = createRoom(alice);
        membership(bob, room, "join");
        String bobSince = (String) sync(bob, null, 0).get("next_batch");
        String aliceSince = (String) sync(alice, null, 0).get("next_batch");

        ok(json(HttpMethod.POST, V3 + "/logout", "{}", laptop));

        assertThat(at(sync(bob, bobSince, 0), "device_lists", "changed")).isEqualTo(List.of(alice.userId()));
        assertThat(at(sync(alice, aliceSince, 0), "device_lists", "changed")).isEqualTo(List.of(alice.userId()));
    }

    @Test
    void renamingADeviceShouldBeAChangeForContacts() {
        Session alice = user("dlk");
        Session bob = user("dll");
        String room = createRoom(alice);
        membership(bob, room, "join");
        String bobSince = (String) sync(bob, null, 0).get("next_batch");

        ok(json(HttpMethod.PUT, V3 + "/devices/" + alice.deviceId(), "{\"display_name\":\"laptop\"}", alice));
        expectError(json(HttpMethod.PUT, V3 + "/devices/NOSUCHDEVICE", "{\"display_name\":\"x\"}", alice), 404,
                "M_NOT_FOUND");

        assertThat(at(sync(bob, bobSince, 0), "device_lists", "changed")).isEqualTo(List.of(alice.userId()));
    }

    @Test
    void keysChangesShouldRequireBothTokens() {
        Session alice = user("dlh");
        String token = (String) sync(alice, null, 0).get("next_batch");
        expectError(json(HttpMethod.GET, V3 + "/keys/changes?from=" + token, null, alice), 400, "M_MISSING_PARAM");
        expectError(json(HttpMethod.GET, V3 + "/keys/changes?to=" + token, null, alice), 400, "M_MISSING_PARAM");
        expectError(json(HttpMethod.GET, V3 + "/keys/changes?from=bogus&to=" + token, null, alice), 400,
                "M_INVALID_PARAM");
        assertThat(ok(json(HttpMethod.GET, V3 + "/keys/changes?from=" + token + "&to=" + token, null, alice)))
                .isEqualTo(Map.of("changed", List.of(), "left", List.of()));
    }

    @Test
    void aSyncShouldDeliverAtMostOneHundredToDeviceMessagesAndTheRestNext() {
        Session alice = user("dli");
        Session bob = user("dlj");
        String since = (String) sync(bob, null, 0).get("next_batch");
        for (int i = 0; i < 150; i++) {
            ok(json(HttpMethod.PUT, V3 + "/sendToDevice/m.test/" + unique("txn"), "{\"messages\":{\""
                    + bob.userId() + "\":{\"*\":{\"n\":" + i + "}}}}", alice));
        }

        Map<String, Object> first = sync(bob, since, 0);
        Map<String, Object> second = sync(bob, (String) first.get("next_batch"), 0);
        Map<String, Object> third = sync(bob, (String) second.get("next_batch"), 0);

        assertThat(numbers(first)).hasSize(100).startsWith(0, 1).endsWith(99);
        assertThat(numbers(second)).hasSize(50).startsWith(100).endsWith(149);
        assertThat(numbers(third)).isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static List<Integer> numbers(Map<String, Object> sync) {
        List<Map<String, Object>> events = (List<Map<String, Object>>) at(sync, "to_device", "events");
        return events.stream().map(e -> (Integer) at(e, "content", "n")).toList();
    }
}
