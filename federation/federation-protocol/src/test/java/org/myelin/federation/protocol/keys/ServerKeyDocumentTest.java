package org.myelin.federation.protocol.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.myelin.federation.protocol.crypto.JsonSigner;
import org.myelin.federation.protocol.crypto.SigningKey;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.KeyId;
import org.myelin.federation.protocol.id.ServerName;

import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class ServerKeyDocumentTest {

    private static final ServerName REMOTE = ServerName.parse("remote.example");
    private final SecureRandom random = new SecureRandom();
    private final SigningKey key = SigningKey.generate(KeyId.ed25519("cur"), random);
    private final SigningKey old = SigningKey.generate(KeyId.ed25519("old"), random);

    private ObjectNode unsigned(ServerName name) {
        ObjectNode doc = JsonNodeFactory.instance.objectNode().put("server_name", name.value())
                .put("valid_until_ts", 5_000L);
        doc.putObject("verify_keys").putObject(key.keyId().toString()).put("key", key.verifyKey().toBase64());
        doc.putObject("old_verify_keys").putObject(old.keyId().toString()).put("key", old.verifyKey().toBase64())
                .put("expired_ts", 1_000L);
        return doc;
    }

    @Test
    void readsCurrentAndOldKeysOfASelfSignedDocument() {
        ServerKeyDocument doc = ServerKeyDocument.verify(JsonSigner.sign(unsigned(REMOTE), REMOTE, key), REMOTE);

        assertThat(doc.validUntilTs()).isEqualTo(5_000L);
        assertThat(doc.keys().get(key.keyId()).validUntilTs()).isEqualTo(5_000L);
        assertThat(doc.keys().get(key.keyId()).expiredTs()).isEmpty();
        assertThat(doc.keys().get(old.keyId()).validUntilTs()).isEqualTo(1_000L);
        assertThat(doc.keys().get(old.keyId()).key()).isEqualTo(old.verifyKey());
    }

    @Test
    void keyValidityIsEnforcedOnlyWhenTheRoomVersionAsks() {
        PublishedKey expired = ServerKeyDocument.verify(JsonSigner.sign(unsigned(REMOTE), REMOTE, key), REMOTE)
                .keys().get(old.keyId());
        assertThat(expired.usableAt(900, true)).isTrue();
        assertThat(expired.usableAt(1_001, true)).isFalse();
        assertThat(expired.usableAt(1_001, false)).isTrue();
    }

    @Test
    void refusesADocumentSignedByAnotherKey() {
        SigningKey other = SigningKey.generate(KeyId.ed25519("cur"), random);
        assertUnauthorized(JsonSigner.sign(unsigned(REMOTE), REMOTE, other), REMOTE, "self-signature is invalid");
    }

    @Test
    void refusesAnUnsignedDocumentAndOneForAnotherServer() {
        assertUnauthorized(unsigned(REMOTE), REMOTE, "self-signature is not_signed");
        ServerName other = ServerName.parse("other.example");
        assertUnauthorized(JsonSigner.sign(unsigned(other), other, key), REMOTE, "names another server");
    }

    @Test
    void refusesADocumentWhoseOnlySignatureIsByAnOldKey() {
        assertUnauthorized(JsonSigner.sign(unsigned(REMOTE), REMOTE, old), REMOTE, "self-signature is unknown_key");
    }

    @Test
    void refusesATamperedDocument() {
        ObjectNode signed = JsonSigner.sign(unsigned(REMOTE), REMOTE, key);
        signed.put("valid_until_ts", Long.MAX_VALUE);
        assertUnauthorized(signed, REMOTE, "self-signature is invalid");
    }

    @Test
    void refusesMalformedDocuments() {
        ObjectNode noValidity = unsigned(REMOTE);
        noValidity.remove("valid_until_ts");
        assertUnauthorized(JsonSigner.sign(noValidity, REMOTE, key), REMOTE, "valid_until_ts");
        ObjectNode noKeys = unsigned(REMOTE);
        noKeys.putObject("verify_keys");
        assertUnauthorized(JsonSigner.sign(noKeys, REMOTE, key), REMOTE, "no Ed25519 verify key");
        ObjectNode badKey = unsigned(REMOTE);
        badKey.putObject("verify_keys").putObject("ed25519:x").put("key", "AAAA");
        assertUnauthorized(badKey, REMOTE, "not a valid Ed25519 key");
        assertUnauthorized(JsonNodeFactory.instance.arrayNode(), REMOTE, "not a JSON object");
    }

    @Test
    void checksANotarysCountersignature() {
        ServerName notary = ServerName.parse("notary.example");
        SigningKey notaryKey = SigningKey.generate(KeyId.ed25519("n"), random);
        ObjectNode countersigned = JsonSigner.sign(JsonSigner.sign(unsigned(REMOTE), REMOTE, key), notary, notaryKey);
        ServerKeyDocument doc = ServerKeyDocument.verify(countersigned, REMOTE);

        doc.requireNotarySignature(notary, List.of(notaryKey.verifyKey()));
        assertThatThrownBy(() -> doc.requireNotarySignature(notary, List.of(key.verifyKey())))
                .isInstanceOf(MatrixException.class).hasMessageContaining("notary");
    }

    private static void assertUnauthorized(tools.jackson.databind.JsonNode json, ServerName server, String why) {
        assertThatThrownBy(() -> ServerKeyDocument.verify(json, server))
                .isInstanceOfSatisfying(MatrixException.class,
                        e -> assertThat(e.errCode()).isEqualTo(ErrCode.M_UNAUTHORIZED))
                .hasMessageContaining(why);
    }
}
