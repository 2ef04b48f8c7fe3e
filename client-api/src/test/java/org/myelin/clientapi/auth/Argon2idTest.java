package org.myelin.clientapi.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Argon2idTest {

    private static final String HASH = Argon2id.hash("correct horse");

    @Test
    void hashShouldBeAPhcStringWithTheOwaspParameters() {
        assertThat(HASH).matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
    }

    @Test
    void hashShouldUseAFreshSaltEachTime() {
        assertThat(Argon2id.hash("correct horse")).isNotEqualTo(HASH);
    }

    @Test
    void verifyShouldAcceptTheRightPassword() {
        assertThat(Argon2id.verify("correct horse", HASH)).isTrue();
    }

    @Test
    void verifyShouldRejectAWrongPassword() {
        assertThat(Argon2id.verify("correct horse ", HASH)).isFalse();
        assertThat(Argon2id.verify("", HASH)).isFalse();
    }

    @Test
    void verifyShouldHonourTheParametersInTheHash() {
        assertThat(Argon2id.verify("correct horse", HASH.replace("m=19456", "m=8"))).isFalse();
        assertThat(Argon2id.verify("correct horse", HASH.replace("t=2", "t=1"))).isFalse();
    }

    @Test
    void verifyShouldBeFalseForMalformedPhcStrings() {
        String[] parts = HASH.split("\\$");
        String salt = parts[4];
        String hash = parts[5];
        assertThat(Argon2id.verify("correct horse", null)).isFalse();
        assertThat(Argon2id.verify("correct horse", "")).isFalse();
        assertThat(Argon2id.verify("correct horse", "not a hash")).isFalse();
        assertThat(Argon2id.verify("correct horse", HASH.replace("argon2id", "argon2i"))).isFalse();
        assertThat(Argon2id.verify("correct horse", HASH.replace("v=19", "v=16"))).isFalse();
        assertThat(Argon2id.verify("correct horse", "$argon2id$v=19$m=19456,t=2$" + salt + "$" + hash)).isFalse();
        assertThat(Argon2id.verify("correct horse", "$argon2id$v=19$m=19456,t=x,p=1$" + salt + "$" + hash))
                .isFalse();
        assertThat(Argon2id.verify("correct horse", "$argon2id$v=19$m=19456,t=2,p=1,q=3$" + salt + "$" + hash))
                .isFalse();
        assertThat(Argon2id.verify("correct horse", "$argon2id$v=19$m=19456,t=2,p=1$!!!$" + hash)).isFalse();
        assertThat(Argon2id.verify("correct horse", "$argon2id$v=19$m=19456,t=2,p=1$" + salt)).isFalse();
        assertThat(Argon2id.verify("correct horse", "$argon2id$v=19$m=19456,t,p=1$" + salt + "$" + hash))
                .isFalse();
    }
}
