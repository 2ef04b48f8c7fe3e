package org.myelin.homeserver.e2ee;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.myelin.federation.protocol.crypto.SigningKey;
import org.myelin.homeserver.support.Accounts.Session;
import org.springframework.http.HttpMethod;

import tools.jackson.databind.node.ObjectNode;

/** POST /keys/device_signing/upload and /keys/signatures/upload, and how /keys/query shows their results. */
class CrossSigningIT extends E2eeIT {

    private static final String DEVICE_SIGNING = V3 + "/keys/device_signing/upload";
    private static final String SIGNATURES = V3 + "/keys/signatures/upload";

    /** A user's three cross-signing keys. */
    private record Identity(TestDevice device, SigningKey master, SigningKey selfSigning, SigningKey userSigning) {

        Identity(TestDevice device) {
            this(device, TestDevice.newKey(), TestDevice.newKey(), TestDevice.newKey());
        }

        ObjectNode upload() {
            ObjectNode body = TestDevice.JSON.createObjectNode();
            body.set("master_key", device.crossSigningKey(master, "master"));
            body.set("self_signing_key", signedByMaster(selfSigning, "self_signing"));
            body.set("user_signing_key", signedByMaster(userSigning, "user_signing"));
            return body;
        }

        ObjectNode signedByMaster(SigningKey key, String usage) {
            return device.sign(device.crossSigningKey(key, usage), master, keyId(master));
        }
    }

    @Test
    void theFirstUploadShouldNeedNoAuthenticationAndOthersShouldSeeMasterAndSelfSigningKeys() {
        Session alice = user("csa");
        Session bob = user("csb");
        Identity identity = new Identity(device(alice));

        ok(json(HttpMethod.POST, DEVICE_SIGNING, identity.upload(), alice));
        ok(json(HttpMethod.POST, DEVICE_SIGNING, identity.upload(), alice));

        Map<String, Object> seenByBob = query(bob, alice.userId());
        assertThat(at(seenByBob, "master_keys", alice.userId(), "keys", keyId(identity.master())))
                .isEqualTo(TestDevice.publicKey(identity.master()));
        assertThat(mapAt(seenByBob, "self_signing_keys", alice.userId())).isNotNull();
        assertThat(mapAt(seenByBob, "user_signing_keys")).isEmpty();
        Map<String, Object> seenByAlice = query(alice, alice.userId());
        assertThat(at(seenByAlice, "user_signing_keys", alice.userId(), "usage")).isEqualTo(List.of("user_signing"));
    }

    @Test
    void replacingTheKeysShouldNeedThePassword() {
        Session alice = user("csc");
        ok(json(HttpMethod.POST, DEVICE_SIGNING, new Identity(device(alice)).upload(), alice));
        Identity replacement = new Identity(device(alice));

        Map<String, Object> challenge = expectUia(json(HttpMethod.POST, DEVICE_SIGNING, replacement.upload(), alice));
        ObjectNode authed = replacement.upload();
        authed.putObject("auth").put("type", "m.login.password").put("session", (String) challenge.get("session"))
                .put("password", "pw-csc-1").putObject("identifier").put("type", "m.id.user")
                .put("user", alice.userId());
        ok(json(HttpMethod.POST, DEVICE_SIGNING, authed, alice));

        assertThat(at(query(alice, alice.userId()), "master_keys", alice.userId(), "keys",
                keyId(replacement.master()))).isNotNull();
    }

    @Test
    void keysNotSignedByTheMasterKeyShouldBeRefusedAndNothingStored() {
        Session alice = user("csd");
        Identity identity = new Identity(device(alice));
        ObjectNode badlySigned = identity.upload();
        badlySigned.set("self_signing_key", device(alice).sign(device(alice).crossSigningKey(identity.selfSigning(),
                "self_signing"), TestDevice.newKey(), keyId(identity.master())));
        ObjectNode noMaster = TestDevice.JSON.createObjectNode();
        noMaster.set("self_signing_key", identity.signedByMaster(identity.selfSigning(), "self_signing"));
        ObjectNode wrongUsage = TestDevice.JSON.createObjectNode();
        wrongUsage.set("master_key", device(alice).crossSigningKey(identity.master(), "self_signing"));
        ObjectNode otherUser = TestDevice.JSON.createObjectNode();
        otherUser.set("master_key", new TestDevice("@else:test.local", "D").crossSigningKey(identity.master(),
                "master"));

        expectError(json(HttpMethod.POST, DEVICE_SIGNING, badlySigned, alice), 400, "M_INVALID_SIGNATURE");
        expectError(json(HttpMethod.POST, DEVICE_SIGNING, noMaster, alice), 400, "M_MISSING_PARAM");
        expectError(json(HttpMethod.POST, DEVICE_SIGNING, wrongUsage, alice), 400, "M_INVALID_PARAM");
        expectError(json(HttpMethod.POST, DEVICE_SIGNING, otherUser, alice), 400, "M_INVALID_PARAM");
        expectError(json(HttpMethod.POST, DEVICE_SIGNING, "{\"master_key\":[]}", alice), 400, "M_BAD_JSON");

        assertThat(mapAt(query(alice, alice.userId()), "master_keys")).isEmpty();
    }

    @Test
    void validSignaturesShouldBeStoredAndMergedAndBadOnesReported() {
        Session alice = user("cse");
        Session bob = user("csf");
        TestDevice phone = device(alice);
        upload(alice, KeysIT.wrap("device_keys", phone.deviceKeys()));
        Identity aliceIds = new Identity(phone);
        ok(json(HttpMethod.POST, DEVICE_SIGNING, aliceIds.upload(), alice));
        Identity bobIds = new Identity(device(bob));
        ok(json(HttpMethod.POST, DEVICE_SIGNING, bobIds.upload(), bob));

        ObjectNode deviceSigned = phone.sign(strip(query(alice, alice.userId()), "device_keys", alice.userId(),
                alice.deviceId()), aliceIds.selfSigning(), keyId(aliceIds.selfSigning()));
        ObjectNode masterByDevice = phone.sign(phone.crossSigningKey(aliceIds.master(), "master"), phone.ed25519,
                "ed25519:" + alice.deviceId());
        ObjectNode bobsMaster = phone.sign(bobIds.device().crossSigningKey(bobIds.master(), "master"),
                aliceIds.userSigning(), keyId(aliceIds.userSigning()));
        ObjectNode forged = phone.sign(bobIds.device().crossSigningKey(bobIds.master(), "master"),
                TestDevice.newKey(), keyId(aliceIds.userSigning()));
        ObjectNode body = TestDevice.JSON.createObjectNode();
        body.putObject(alice.userId()).set(alice.deviceId(), deviceSigned);
        body.withObjectProperty(alice.userId()).set(TestDevice.publicKey(aliceIds.master()), masterByDevice);
        body.withObjectProperty(alice.userId()).set("NOSUCHDEVICE", deviceSigned);
        body.putObject(bob.userId()).set(TestDevice.publicKey(bobIds.master()), bobsMaster);

        Map<String, Object> result = ok(json(HttpMethod.POST, SIGNATURES, body, alice));
        assertThat(mapAt(result, "failures", alice.userId())).containsOnlyKeys("NOSUCHDEVICE");

        Map<String, Object> mine = query(alice, alice.userId());
        assertThat(mapAt(mine, "device_keys", alice.userId(), alice.deviceId(), "signatures", alice.userId()))
                .containsKeys("ed25519:" + alice.deviceId(), keyId(aliceIds.selfSigning()));
        assertThat(mapAt(mine, "master_keys", alice.userId(), "signatures", alice.userId()))
                .containsKey("ed25519:" + alice.deviceId());
        assertThat(mapAt(query(alice, bob.userId()), "master_keys", bob.userId(), "signatures", alice.userId()))
                .containsKey(keyId(aliceIds.userSigning()));

        ObjectNode bad = TestDevice.JSON.createObjectNode();
        bad.putObject(bob.userId()).set(TestDevice.publicKey(bobIds.master()), forged);
        Map<String, Object> refused = ok(json(HttpMethod.POST, SIGNATURES, bad, alice));
        assertThat(at(refused, "failures", bob.userId(), TestDevice.publicKey(bobIds.master()), "errcode"))
                .isEqualTo("M_INVALID_SIGNATURE");
        assertThat(at(query(alice, bob.userId()), "master_keys", bob.userId(), "signatures", alice.userId(),
                keyId(aliceIds.userSigning()))).as("the good signature stays").isEqualTo(bobsMaster.path("signatures")
                        .path(alice.userId()).path(keyId(aliceIds.userSigning())).stringValue());
        expectError(json(HttpMethod.POST, SIGNATURES, "{\"" + bob.userId() + "\":[]}", alice), 400, "M_BAD_JSON");
    }

    private static ObjectNode strip(Map<String, Object> result, String... path) {
        ObjectNode keys = TestDevice.JSON.valueToTree(mapAt(result, path));
        keys.remove(List.of("signatures", "unsigned"));
        return keys;
    }

    private static String keyId(SigningKey key) {
        return "ed25519:" + TestDevice.publicKey(key);
    }
}
