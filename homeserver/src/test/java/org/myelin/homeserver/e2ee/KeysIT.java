package org.myelin.homeserver.e2ee;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.Accounts.Session;
import org.springframework.http.HttpMethod;

import tools.jackson.databind.node.ObjectNode;

/** POST /keys/upload, /keys/query, /keys/claim: what is stored, what is refused, and that refusals store nothing. */
class KeysIT extends E2eeIT {

    @Test
    void uploadedKeysShouldBeQueriedWithTheDevicesDisplayName() {
        Session alice = user("kqa");
        Session bob = user("kqb");
        TestDevice phone = device(alice);
        ok(json(HttpMethod.PUT, V3 + "/devices/" + alice.deviceId(), "{\"display_name\":\"phone\"}", alice));
        ObjectNode body = TestDevice.JSON.createObjectNode();
        body.set("device_keys", phone.deviceKeys());
        body.set("one_time_keys", phone.oneTimeKeys("A", 5));

        Map<String, Object> counts = upload(alice, body);

        assertThat(at(counts, "one_time_key_counts", "signed_curve25519")).isEqualTo(5);
        Map<String, Object> result = query(bob, alice.userId());
        Map<String, Object> keys = mapAt(result, "device_keys", alice.userId(), alice.deviceId());
        assertThat(keys).containsEntry("user_id", alice.userId()).containsEntry("device_id", alice.deviceId());
        assertThat(at(keys, "keys", "ed25519:" + alice.deviceId())).isEqualTo(TestDevice.publicKey(phone.ed25519));
        assertThat(at(keys, "unsigned", "device_display_name")).isEqualTo("phone");
        assertThat(mapAt(keys, "signatures", alice.userId())).containsKey("ed25519:" + alice.deviceId());
        assertThat(at(result, "failures")).isEqualTo(Map.of());
    }

    @Test
    void queryShouldNameRemoteServersInFailuresAndUnknownUsersWithoutDevices() {
        Session alice = user("kqc");
        Map<String, Object> result = ok(json(HttpMethod.POST, V3 + "/keys/query",
                "{\"device_keys\":{\"@far:remote.example\":[],\"@nobody:test.local\":[\"X\"]},\"timeout\":100}",
                alice));
        assertThat(at(result, "failures", "remote.example")).isNotNull();
        assertThat(mapAt(result, "device_keys", "@nobody:test.local")).isEqualTo(Map.of());
        assertThat(mapAt(result, "device_keys")).doesNotContainKey("@far:remote.example");
    }

    @Test
    void deviceKeysOfAnotherUserOrDeviceOrBadlySignedShouldBeRefusedAndNothingStored() {
        Session alice = user("kqd");
        TestDevice other = new TestDevice("@someone:test.local", alice.deviceId());
        TestDevice otherDevice = new TestDevice(alice.userId(), "NOTMINE");
        ObjectNode tampered = device(alice).deviceKeys();
        tampered.withArrayProperty("algorithms").add("m.sneaky");
        ObjectNode noAlgorithms = device(alice).deviceKeys();
        noAlgorithms.put("algorithms", "m.megolm.v1.aes-sha2");

        expectError(json(HttpMethod.POST, V3 + "/keys/upload", wrap("device_keys", other.deviceKeys()), alice),
                400, "M_INVALID_PARAM");
        expectError(json(HttpMethod.POST, V3 + "/keys/upload", wrap("device_keys", otherDevice.deviceKeys()),
                alice), 400, "M_INVALID_PARAM");
        expectError(json(HttpMethod.POST, V3 + "/keys/upload", wrap("device_keys", tampered), alice), 400,
                "M_INVALID_SIGNATURE");
        expectError(json(HttpMethod.POST, V3 + "/keys/upload", wrap("device_keys", noAlgorithms), alice), 400,
                "M_BAD_JSON");
        expectError(json(HttpMethod.POST, V3 + "/keys/upload", "{\"device_keys\":[]}", alice), 400, "M_BAD_JSON");
        expectError(json(HttpMethod.POST, V3 + "/keys/upload", "not json", alice), 400, "M_NOT_JSON");
        expectError(json(HttpMethod.POST, V3 + "/keys/upload", "{}", null), 401, "M_MISSING_TOKEN");

        assertThat(at(query(alice, alice.userId()), "device_keys", alice.userId())).isEqualTo(Map.of());
    }

    @Test
    void aDevicesIdentityKeysShouldNotBeReplacedButMayBeResigned() {
        Session alice = user("kqe");
        TestDevice phone = device(alice);
        ObjectNode first = phone.deviceKeys();
        upload(alice, wrap("device_keys", first));
        ObjectNode again = first.deepCopy();
        again.remove("signatures");
        phone.sign(again, phone.ed25519, "ed25519:" + alice.deviceId());
        phone.sign(again, TestDevice.newKey(), "ed25519:crosssigned");

        upload(alice, wrap("device_keys", again));
        expectError(json(HttpMethod.POST, V3 + "/keys/upload", wrap("device_keys", device(alice).deviceKeys()),
                alice), 400, "M_INVALID_PARAM");

        Map<String, Object> stored = mapAt(query(alice, alice.userId()), "device_keys", alice.userId(),
                alice.deviceId());
        assertThat(at(stored, "keys", "ed25519:" + alice.deviceId()))
                .isEqualTo(TestDevice.publicKey(phone.ed25519));
        assertThat(mapAt(stored, "signatures", alice.userId())).containsKey("ed25519:crosssigned");
    }

    @Test
    void aOneTimeKeyIdUploadedAgainMustCarryTheSameKey() {
        Session alice = user("kqf");
        TestDevice phone = device(alice);
        ObjectNode keys = phone.oneTimeKeys("B", 2);
        upload(alice, wrap("one_time_keys", keys));
        ObjectNode unsignedRetry = TestDevice.JSON.createObjectNode();
        keys.properties().forEach(e -> unsignedRetry.putObject(e.getKey()).put("key", e.getValue().get("key")
                .asString()));

        assertThat(at(upload(alice, wrap("one_time_keys", unsignedRetry)), "one_time_key_counts",
                "signed_curve25519")).as("the same keys, signature aside").isEqualTo(2);
        ObjectNode changed = phone.oneTimeKeys("B", 1);
        expectError(json(HttpMethod.POST, V3 + "/keys/upload", wrap("one_time_keys", changed), alice), 400,
                "M_INVALID_PARAM");
        expectError(json(HttpMethod.POST, V3 + "/keys/upload", "{\"one_time_keys\":{\"nocolon\":\"k\"}}", alice),
                400, "M_INVALID_PARAM");
        expectError(json(HttpMethod.POST, V3 + "/keys/upload", "{\"fallback_keys\":{\"a:1\":\"k\",\"a:2\":\"k\"}}",
                alice), 400, "M_INVALID_PARAM");
        assertThat(at(upload(alice, "{}"), "one_time_key_counts", "signed_curve25519")).isEqualTo(2);
    }

    @Test
    void claimsShouldHandOutEachOneTimeKeyOnceThenTheFallbackKey() {
        Session alice = user("kqg");
        Session bob = user("kqh");
        TestDevice phone = device(alice);
        ObjectNode body = TestDevice.JSON.createObjectNode();
        body.set("one_time_keys", phone.oneTimeKeys("C", 2));
        ObjectNode fallback = body.putObject("fallback_keys");
        fallback.set("signed_curve25519:F1", phone.signedKey("fallbackkey1", true));
        upload(alice, body);
        assertThat(at(sync(alice, null, 0), "device_unused_fallback_key_types")).isEqualTo(
                List.of("signed_curve25519"));

        String first = claimedKeyId(bob, alice);
        String second = claimedKeyId(bob, alice);
        assertThat(List.of(first, second)).containsExactlyInAnyOrder("signed_curve25519:C0", "signed_curve25519:C1");
        assertThat(at(upload(alice, "{}"), "one_time_key_counts", "signed_curve25519")).isEqualTo(0);
        assertThat(claimedKeyId(bob, alice)).isEqualTo("signed_curve25519:F1");
        assertThat(claimedKeyId(bob, alice)).as("the fallback key stays").isEqualTo("signed_curve25519:F1");
        Map<String, Object> synced = sync(alice, null, 0);
        assertThat(at(synced, "device_unused_fallback_key_types")).isEqualTo(List.of());
        assertThat(at(synced, "device_one_time_keys_count", "signed_curve25519")).isEqualTo(0);

        ObjectNode replacement = TestDevice.JSON.createObjectNode();
        replacement.putObject("fallback_keys").set("signed_curve25519:F2", phone.signedKey("fallbackkey2", true));
        upload(alice, replacement);
        assertThat(at(sync(alice, null, 0), "device_unused_fallback_key_types")).isEqualTo(
                List.of("signed_curve25519"));
        assertThat(claimedKeyId(bob, alice)).isEqualTo("signed_curve25519:F2");
    }

    @Test
    void claimsShouldAnswerRemoteUsersInFailuresAndRefuseMalformedBodies() {
        Session alice = user("kqi");
        Map<String, Object> result = ok(json(HttpMethod.POST, V3 + "/keys/claim",
                "{\"one_time_keys\":{\"@far:remote.example\":{\"D\":\"signed_curve25519\"},\""
                        + alice.userId() + "\":{\"NODEVICE\":\"signed_curve25519\"}}}", alice));
        assertThat(at(result, "failures", "remote.example")).isNotNull();
        assertThat(at(result, "one_time_keys")).isEqualTo(Map.of());

        expectError(json(HttpMethod.POST, V3 + "/keys/claim", "{}", alice), 400, "M_MISSING_PARAM");
        expectError(json(HttpMethod.POST, V3 + "/keys/claim", "{\"one_time_keys\":{\"@a:b\":{\"D\":5}}}", alice),
                400, "M_BAD_JSON");
        expectError(json(HttpMethod.POST, V3 + "/keys/claim", "{\"one_time_keys\":{\"nouser\":{}}}", alice), 400,
                "M_INVALID_PARAM");
        expectError(json(HttpMethod.POST, V3 + "/keys/query", "{}", alice), 400, "M_MISSING_PARAM");
        expectError(json(HttpMethod.POST, V3 + "/keys/query", "{\"device_keys\":{\"@a:b\":\"D\"}}", alice), 400,
                "M_BAD_JSON");
        expectError(json(HttpMethod.POST, V3 + "/keys/query", "{\"device_keys\":{},\"timeout\":\"x\"}", alice), 400,
                "M_BAD_JSON");
    }

    @Test
    void loggingOutShouldRemoveTheDevicesKeys() {
        Session alice = user("kqj");
        Session laptop = accounts.login(alice.userId(), "pw-kqj-1", false);
        TestDevice device = device(laptop);
        ObjectNode body = TestDevice.JSON.createObjectNode();
        body.set("device_keys", device.deviceKeys());
        body.set("one_time_keys", device.oneTimeKeys("E", 3));
        body.putObject("fallback_keys").set("signed_curve25519:F", device.signedKey("fb", true));
        upload(laptop, body);

        ok(json(HttpMethod.POST, V3 + "/logout", "{}", laptop));

        assertThat(at(query(alice, alice.userId()), "device_keys", alice.userId())).isEqualTo(Map.of());
        Map<String, Object> claimed = ok(json(HttpMethod.POST, V3 + "/keys/claim", "{\"one_time_keys\":{\""
                + alice.userId() + "\":{\"" + laptop.deviceId() + "\":\"signed_curve25519\"}}}", alice));
        assertThat(at(claimed, "one_time_keys")).isEqualTo(Map.of());
    }

    private String claimedKeyId(Session claimer, Session owner) {
        Map<String, Object> result = ok(json(HttpMethod.POST, V3 + "/keys/claim", "{\"one_time_keys\":{\""
                + owner.userId() + "\":{\"" + owner.deviceId() + "\":\"signed_curve25519\"}}}", claimer));
        Map<String, Object> keys = mapAt(result, "one_time_keys", owner.userId(), owner.deviceId());
        assertThat(keys).hasSize(1);
        return keys.keySet().iterator().next();
    }

    static ObjectNode wrap(String field, ObjectNode value) {
        ObjectNode body = TestDevice.JSON.createObjectNode();
        body.set(field, value);
        return body;
    }
}
