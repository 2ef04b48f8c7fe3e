package org.myelin.homeserver.e2ee;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.Accounts.Session;
import org.springframework.http.HttpMethod;

import tools.jackson.databind.node.ObjectNode;

/** Dehydrated devices (MSC3814, Synapse's unstable endpoints): upload, read, replace, delete, and their messages. */
class DehydratedDeviceIT extends E2eeIT {

    private static final String DEHYDRATED = "/_matrix/client/unstable/org.matrix.msc3814.v1/dehydrated_device";

    @Test
    void aDehydratedDeviceShouldReceiveToDeviceMessagesInBatchesUntilReplaced() {
        Session alice = user("dda");
        Session bob = user("ddb");
        expectError(json(HttpMethod.GET, DEHYDRATED, null, alice), 404, "M_NOT_FOUND");

        assertThat(ok(json(HttpMethod.PUT, DEHYDRATED, dehydrated(alice, "DEHYDRATED1", "state1"), alice)))
                .isEqualTo(Map.of("device_id", "DEHYDRATED1"));
        Map<String, Object> stored = ok(json(HttpMethod.GET, DEHYDRATED, null, alice));
        assertThat(stored).containsEntry("device_id", "DEHYDRATED1");
        assertThat(at(stored, "device_data", "account")).isEqualTo("state1");
        assertThat(mapAt(query(bob, alice.userId()), "device_keys", alice.userId())).containsKey("DEHYDRATED1");
        Map<String, Object> claimed = ok(json(HttpMethod.POST, V3 + "/keys/claim", "{\"one_time_keys\":{\""
                + alice.userId() + "\":{\"DEHYDRATED1\":\"signed_curve25519\"}}}", bob));
        assertThat(mapAt(claimed, "one_time_keys", alice.userId(), "DEHYDRATED1")).hasSize(1);

        for (int i = 0; i < 3; i++) {
            ok(json(HttpMethod.PUT, V3 + "/sendToDevice/m.room.encrypted/" + unique("txn"), "{\"messages\":{\""
                    + alice.userId() + "\":{\"DEHYDRATED1\":{\"n\":" + i + "}}}}", bob));
        }
        Map<String, Object> first = ok(json(HttpMethod.POST, DEHYDRATED + "/DEHYDRATED1/events", "{}", alice));
        assertThat((List<?>) first.get("events")).hasSize(3);
        String next = (String) first.get("next_batch");
        Map<String, Object> second = ok(json(HttpMethod.POST, DEHYDRATED + "/DEHYDRATED1/events",
                "{\"next_batch\":\"" + next + "\"}", alice));
        assertThat((List<?>) second.get("events")).isEmpty();
        assertThat(second.get("next_batch")).isEqualTo(next);
        expectError(json(HttpMethod.POST, DEHYDRATED + "/" + alice.deviceId() + "/events", "{}", alice), 403,
                "M_FORBIDDEN");
        expectError(json(HttpMethod.POST, DEHYDRATED + "/DEHYDRATED1/events", "{\"next_batch\":\"x\"}", alice), 400,
                "M_INVALID_PARAM");

        ok(json(HttpMethod.PUT, DEHYDRATED, dehydrated(alice, "DEHYDRATED2", "state2"), alice));
        assertThat(mapAt(query(bob, alice.userId()), "device_keys", alice.userId())).doesNotContainKey("DEHYDRATED1")
                .containsKey("DEHYDRATED2");
        assertThat(ok(json(HttpMethod.DELETE, DEHYDRATED, null, alice))).isEqualTo(Map.of("device_id",
                "DEHYDRATED2"));
        expectError(json(HttpMethod.GET, DEHYDRATED, null, alice), 404, "M_NOT_FOUND");
        expectError(json(HttpMethod.DELETE, DEHYDRATED, null, alice), 404, "M_NOT_FOUND");
        assertThat(mapAt(query(bob, alice.userId()), "device_keys", alice.userId())).doesNotContainKey("DEHYDRATED2");
    }

    @Test
    void malformedUploadsShouldBeRefusedAndNothingStored() {
        Session alice = user("ddc");
        ObjectNode noKeys = dehydrated(alice, "D1", "s");
        noKeys.remove("device_keys");
        ObjectNode noData = dehydrated(alice, "D1", "s");
        noData.remove("device_data");
        ObjectNode otherDevicesKeys = dehydrated(alice, "D1", "s");
        otherDevicesKeys.set("device_keys", new TestDevice(alice.userId(), "D2").deviceKeys());

        expectError(json(HttpMethod.PUT, DEHYDRATED, noKeys, alice), 400, "M_MISSING_PARAM");
        expectError(json(HttpMethod.PUT, DEHYDRATED, noData, alice), 400, "M_MISSING_PARAM");
        expectError(json(HttpMethod.PUT, DEHYDRATED, otherDevicesKeys, alice), 400, "M_INVALID_PARAM");
        expectError(json(HttpMethod.PUT, DEHYDRATED, dehydrated(alice, alice.deviceId(), "s"), alice), 400,
                "M_INVALID_PARAM");
        expectError(json(HttpMethod.PUT, DEHYDRATED, "{\"device_id\":5}", alice), 400, "M_BAD_JSON");

        expectError(json(HttpMethod.GET, DEHYDRATED, null, alice), 404, "M_NOT_FOUND");
        assertThat(mapAt(query(alice, alice.userId()), "device_keys", alice.userId())).isEmpty();
    }

    private static ObjectNode dehydrated(Session owner, String deviceId, String state) {
        TestDevice device = new TestDevice(owner.userId(), deviceId);
        ObjectNode body = TestDevice.JSON.createObjectNode().put("device_id", deviceId)
                .put("initial_device_display_name", "Dehydrated device");
        body.putObject("device_data").put("algorithm", "org.matrix.msc3814.v1.olm").put("account", state);
        body.set("device_keys", device.deviceKeys());
        body.set("one_time_keys", device.oneTimeKeys("O", 2));
        body.putObject("fallback_keys").set("signed_curve25519:F", device.signedKey("fallback", true));
        return body;
    }
}
