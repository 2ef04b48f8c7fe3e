package org.myelin.federation.protocol.e2ee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.myelin.federation.protocol.crypto.SignatureCheck;
import org.myelin.federation.protocol.crypto.SigningKey;
import org.myelin.federation.protocol.crypto.UnpaddedBase64;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.KeyId;
import org.myelin.federation.protocol.e2ee.CrossSigningKey.Usage;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class E2eeKeysTest {

    private static final String ALICE = "@alice:example.org";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SigningKey deviceKey = SigningKey.generate(KeyId.ed25519("DEV"), RANDOM);
    private final SigningKey masterKey = SigningKey.generate(KeyId.ed25519("m"), RANDOM);
    private final SigningKey selfSigningKey = SigningKey.generate(KeyId.ed25519("s"), RANDOM);

    @Test
    void deviceKeysShouldParseWhenSignedByTheirOwnKey() {
        DeviceKeys keys = DeviceKeys.parse(signedDevice("DEV"), ALICE, "DEV");
        assertThat(keys.ed25519Key()).isEqualTo(deviceKey.verifyKey().toBase64());
        assertThat(keys.keys()).containsKeys("ed25519:DEV", "curve25519:DEV");
    }

    @Test
    void deviceKeysShouldBeRejectedForAnotherUserOrDevice() {
        assertError(() -> DeviceKeys.parse(signedDevice("DEV"), "@bob:example.org", "DEV"), ErrCode.M_INVALID_PARAM);
        assertError(() -> DeviceKeys.parse(signedDevice("DEV"), ALICE, "OTHER"), ErrCode.M_INVALID_PARAM);
    }

    @Test
    void deviceKeysShouldBeRejectedWhenTheSignatureDoesNotVerify() {
        ObjectNode keys = signedDevice("DEV");
        keys.withArrayProperty("algorithms").add("m.extra");
        assertError(() -> DeviceKeys.parse(keys, ALICE, "DEV"), ErrCode.M_INVALID_SIGNATURE);
        ObjectNode unsigned = signedDevice("DEV");
        unsigned.putObject("signatures");
        assertError(() -> DeviceKeys.parse(unsigned, ALICE, "DEV"), ErrCode.M_INVALID_SIGNATURE);
    }

    @Test
    void deviceKeysShouldBeRejectedWhenMalformed() {
        ObjectNode noAlgorithms = signedDevice("DEV");
        noAlgorithms.put("algorithms", "m.olm.v1.curve25519-aes-sha2");
        assertError(() -> DeviceKeys.parse(noAlgorithms, ALICE, "DEV"), ErrCode.M_BAD_JSON);
        ObjectNode numericKey = signedDevice("DEV");
        numericKey.withObjectProperty("keys").put("curve25519:DEV", 5);
        assertError(() -> DeviceKeys.parse(numericKey, ALICE, "DEV"), ErrCode.M_BAD_JSON);
        ObjectNode notEd25519 = signedDevice("DEV");
        notEd25519.withObjectProperty("keys").put("ed25519:DEV", "c2hvcnQ");
        assertError(() -> DeviceKeys.parse(notEd25519, ALICE, "DEV"), ErrCode.M_INVALID_PARAM);
        assertError(() -> DeviceKeys.parse(JSON.getNodeFactory().arrayNode(), ALICE, "DEV"), ErrCode.M_BAD_JSON);
    }

    @Test
    void crossSigningKeyShouldVerifyTheMastersSignature() {
        CrossSigningKey master = CrossSigningKey.parse(crossSigningKey(masterKey, "master"), ALICE, Usage.MASTER);
        ObjectNode selfSigning = crossSigningKey(selfSigningKey, "self_signing");
        CrossSigningKey unsignedSsk = CrossSigningKey.parse(selfSigning, ALICE, Usage.SELF_SIGNING);
        assertThat(unsignedSsk.isSignedBy(ALICE, master)).isFalse();
        sign(selfSigning, masterKey, master.keyId());
        CrossSigningKey ssk = CrossSigningKey.parse(selfSigning, ALICE, Usage.SELF_SIGNING);
        assertThat(ssk.isSignedBy(ALICE, master)).isTrue();
        assertThat(ssk.keyId()).isEqualTo("ed25519:" + selfSigningKey.verifyKey().toBase64());
    }

    @Test
    void crossSigningKeyShouldBeRejectedForWrongOwnerUsageOrKeys() {
        assertError(() -> CrossSigningKey.parse(crossSigningKey(masterKey, "master"), "@bob:example.org",
                Usage.MASTER), ErrCode.M_INVALID_PARAM);
        assertError(() -> CrossSigningKey.parse(crossSigningKey(masterKey, "self_signing"), ALICE, Usage.MASTER),
                ErrCode.M_INVALID_PARAM);
        ObjectNode twoKeys = crossSigningKey(masterKey, "master");
        twoKeys.withObjectProperty("keys").put("ed25519:other", "other");
        assertError(() -> CrossSigningKey.parse(twoKeys, ALICE, Usage.MASTER), ErrCode.M_INVALID_PARAM);
        ObjectNode misnamed = crossSigningKey(masterKey, "master");
        misnamed.putObject("keys").put("ed25519:name", masterKey.verifyKey().toBase64());
        assertError(() -> CrossSigningKey.parse(misnamed, ALICE, Usage.MASTER), ErrCode.M_INVALID_PARAM);
    }

    @Test
    void signatureCheckShouldTellMissingFromInvalid() {
        ObjectNode device = signedDevice("DEV");
        String pub = deviceKey.verifyKey().toBase64();
        assertThat(KeySignatures.verify(device, ALICE, "ed25519:DEV", pub)).isEqualTo(SignatureCheck.VALID);
        assertThat(KeySignatures.verify(device, ALICE, "ed25519:NONE", pub)).isEqualTo(SignatureCheck.NOT_SIGNED);
        assertThat(KeySignatures.verify(device, ALICE, "ed25519:DEV", masterKey.verifyKey().toBase64()))
                .isEqualTo(SignatureCheck.INVALID);
        device.putObject("unsigned").put("device_display_name", "phone");
        assertThat(KeySignatures.verify(device, ALICE, "ed25519:DEV", pub)).isEqualTo(SignatureCheck.VALID);
    }

    @Test
    void oneTimeKeysShouldParseAndCompareWithoutSignatures() {
        ObjectNode keys = JSON.createObjectNode();
        keys.putObject("signed_curve25519:AAAA").put("key", "k1").putObject("signatures").putObject(ALICE)
                .put("ed25519:DEV", "sig");
        keys.put("curve25519:AAAB", "k2");
        List<OneTimeKey> parsed = OneTimeKey.parseAll(keys, "one_time_keys", false);
        assertThat(parsed).extracting(OneTimeKey::algorithm).containsExactly("signed_curve25519", "curve25519");
        assertThat(parsed.get(0).keyId()).isEqualTo("AAAA");
        assertThat(parsed.get(0).sameKeyAs("{\"key\":\"k1\"}")).isTrue();
        assertThat(parsed.get(0).sameKeyAs("{\"key\":\"k3\"}")).isFalse();
        assertThat(parsed.get(1).json()).isEqualTo("\"k2\"");
    }

    @Test
    void oneTimeKeysShouldBeRejectedWhenMalformed() {
        assertError(() -> OneTimeKey.parseAll(JSON.createObjectNode().put("nocolon", "k"), "one_time_keys", false),
                ErrCode.M_INVALID_PARAM);
        assertError(() -> OneTimeKey.parseAll(JSON.createObjectNode().put("a:b", 1), "one_time_keys", false),
                ErrCode.M_BAD_JSON);
        ObjectNode twoFallbacks = JSON.createObjectNode().put("signed_curve25519:A", "k").put("signed_curve25519:B",
                "k");
        assertError(() -> OneTimeKey.parseAll(twoFallbacks, "fallback_keys", true), ErrCode.M_INVALID_PARAM);
    }

    private ObjectNode signedDevice(String deviceId) {
        ObjectNode keys = JSON.createObjectNode().put("user_id", ALICE).put("device_id", deviceId);
        keys.putArray("algorithms").add("m.olm.v1.curve25519-aes-sha2").add("m.megolm.v1.aes-sha2");
        keys.putObject("keys").put("curve25519:" + deviceId, "3C5BFWi2Y8MaVvjM8M22DBmh24PmgR0nPvJOIArzgyI")
                .put("ed25519:" + deviceId, deviceKey.verifyKey().toBase64());
        return sign(keys, deviceKey, "ed25519:" + deviceId);
    }

    private static ObjectNode crossSigningKey(SigningKey key, String usage) {
        ObjectNode json = JSON.createObjectNode().put("user_id", ALICE);
        json.putArray("usage").add(usage);
        String pub = key.verifyKey().toBase64();
        json.putObject("keys").put("ed25519:" + pub, pub);
        return json;
    }

    private static ObjectNode sign(ObjectNode json, SigningKey key, String keyId) {
        String signature = UnpaddedBase64.encode(key.sign(KeySignatures.signedBytes(json)));
        json.withObjectProperty("signatures").withObjectProperty(ALICE).put(keyId, signature);
        return json;
    }

    private static void assertError(Runnable call, ErrCode errcode) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(MatrixException.class,
                e -> assertThat(e.errCode()).isEqualTo(errcode));
    }
}
