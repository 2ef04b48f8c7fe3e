package org.myelin.federation.server.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.myelin.federation.protocol.crypto.JsonSigner;
import org.myelin.federation.protocol.crypto.PublicKeys;
import org.myelin.federation.protocol.crypto.SigningKey;
import org.myelin.federation.protocol.crypto.VerifyKey;
import org.myelin.federation.protocol.id.KeyId;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.room.keys.OldVerifyKey;

import tools.jackson.databind.node.ObjectNode;

class ServerKeysTest {

    private static final ServerName SERVER = ServerName.parse("example.org");
    private static final SigningKey KEY = SigningKey.generate(KeyId.ed25519("a1"), new SecureRandom());
    private static final Instant NOW = Instant.parse("2026-12-03T08:00:00Z");

    @Test
    void documentShouldPublishTheKeyAndBeSelfSigned() {
        ObjectNode doc = new ServerKeys(SERVER, KEY, List.of(), Clock.fixed(NOW, ZoneOffset.UTC)).document();

        assertThat(doc.path("server_name").stringValue()).isEqualTo("example.org");
        String published = doc.path("verify_keys").path("ed25519:a1").path("key").stringValue();
        assertThat(published).isEqualTo(KEY.verifyKey().toBase64());
        assertThat(doc.path("old_verify_keys").isObject()).isTrue();
        assertThat(doc.path("valid_until_ts").longValue()).isEqualTo(NOW.toEpochMilli() + 86_400_000L);
        VerifyKey fromDocument = VerifyKey.fromBase64(KeyId.ed25519("a1"), published);
        assertThat(JsonSigner.verify(doc, SERVER, PublicKeys.of(SERVER, List.of(fromDocument))).isValid()).isTrue();
    }

    @Test
    void rotatedKeysShouldBePublishedAsOldVerifyKeysWithTheirExpiry() {
        SigningKey old = SigningKey.generate(KeyId.ed25519("a0"), new SecureRandom());
        ObjectNode doc = new ServerKeys(SERVER, KEY, List.of(new OldVerifyKey(old.verifyKey(), 1_000L)),
                Clock.fixed(NOW, ZoneOffset.UTC)).document();
        assertThat(doc.path("old_verify_keys").path("ed25519:a0").path("key").stringValue())
                .isEqualTo(old.verifyKey().toBase64());
        assertThat(doc.path("old_verify_keys").path("ed25519:a0").path("expired_ts").longValue()).isEqualTo(1_000L);
        assertThat(doc.path("verify_keys").has("ed25519:a0")).isFalse();
    }

    @Test
    void aTamperedDocumentShouldNotVerify() {
        ObjectNode doc = new ServerKeys(SERVER, KEY, List.of(), Clock.fixed(NOW, ZoneOffset.UTC)).document();
        doc.put("valid_until_ts", Long.MAX_VALUE);
        assertThat(JsonSigner.verify(doc, SERVER, PublicKeys.of(SERVER, List.of(KEY.verifyKey()))).isValid())
                .isFalse();
    }
}
