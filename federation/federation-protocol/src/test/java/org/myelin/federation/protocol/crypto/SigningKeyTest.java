package org.myelin.federation.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

import org.junit.jupiter.api.Test;
import org.myelin.federation.protocol.SpecTestKey;
import org.myelin.federation.protocol.SpecVectors;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.KeyId;

class SigningKeyTest {

    @Test
    void verifyKeyShouldMatchDerivedPublicKeyWhenBuiltFromSpecSeed() {
        String expected = SpecVectors.load("appendices/signing.json").get("signing_key")
                .get("public_key_base64_derived").stringValue();
        SigningKey key = SpecTestKey.signingKey();
        assertThat(key.verifyKey().toBase64()).isEqualTo(expected).isEqualTo(SpecTestKey.PUBLIC_KEY_BASE64);
        assertThat(key.keyId()).isEqualTo(KeyId.parse("ed25519:1"));
    }

    @Test
    void signShouldProduceSignatureThatVerifiesOnlyForTheSameMessage() {
        SigningKey key = SigningKey.generate(KeyId.ed25519("auto"), new SecureRandom());
        byte[] message = "hello".getBytes(StandardCharsets.UTF_8);
        byte[] signature = key.sign(message);
        assertThat(signature).hasSize(64);
        assertThat(key.verifyKey().verify(message, signature)).isTrue();
        assertThat(key.verifyKey().verify("hellp".getBytes(StandardCharsets.UTF_8), signature)).isFalse();
        assertThat(key.verifyKey().verify(message, new byte[10])).isFalse();
    }

    @Test
    void fromSeedShouldRoundTripWhenSeedIsStoredAndReloaded() {
        SigningKey key = SigningKey.generate(KeyId.ed25519("a"), new SecureRandom());
        SigningKey reloaded = SigningKey.fromSeed(key.keyId(), key.seed());
        assertThat(reloaded.verifyKey()).isEqualTo(key.verifyKey());
    }

    @Test
    void fromSeedShouldRejectWhenSeedIsNot32BytesOrAlgorithmIsNotEd25519() {
        assertThatThrownBy(() -> SigningKey.fromSeed(KeyId.ed25519("1"), new byte[31])).isInstanceOf(MatrixException.class);
        assertThatThrownBy(() -> SigningKey.fromSeed(KeyId.parse("curve25519:1"), new byte[32]))
                .isInstanceOf(MatrixException.class);
    }

    @Test
    void verifyKeyShouldRejectWhenKeyBytesAreNotAPublicKey() {
        assertThatThrownBy(() -> VerifyKey.fromBase64(KeyId.ed25519("1"), "AAAA")).isInstanceOf(MatrixException.class);
    }

    @Test
    void toStringShouldNotRevealTheSeed() {
        SigningKey key = SpecTestKey.signingKey();
        assertThat(key.toString()).doesNotContain(UnpaddedBase64.encode(key.seed())).contains("ed25519:1");
    }
}
