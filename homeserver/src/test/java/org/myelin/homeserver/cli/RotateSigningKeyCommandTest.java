package org.myelin.homeserver.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.federation.protocol.crypto.SigningKey;
import org.myelin.room.keys.OldVerifyKey;
import org.myelin.room.keys.ServerSigningKey;
import org.myelin.room.keys.SigningKeyRotation;

class RotateSigningKeyCommandTest {

    private static final Instant NOW = Instant.parse("2026-12-03T09:00:00Z");

    @TempDir
    Path dataDir;

    @Test
    void rotationShouldRetireTheKeyAsAnOldVerifyKeyAndWriteANewOne() {
        SigningKey before = ServerSigningKey.loadOrCreate(dataDir, new SecureRandom());
        assertThat(run("--data-dir", dataDir.toString())).isZero();
        SigningKey after = ServerSigningKey.loadOrCreate(dataDir, new SecureRandom());
        assertThat(after.keyId()).isNotEqualTo(before.keyId());
        assertThat(SigningKeyRotation.oldKeys(dataDir))
                .containsExactly(new OldVerifyKey(before.verifyKey(), NOW.toEpochMilli()));

        assertThat(run("--data-dir", dataDir.toString())).isZero();
        List<OldVerifyKey> old = SigningKeyRotation.oldKeys(dataDir);
        assertThat(old).hasSize(2);
        assertThat(old.get(1).key()).isEqualTo(after.verifyKey());
        assertThat(dataDir.resolve(ServerSigningKey.FILE_NAME + ".retired")).doesNotExist();
    }

    @Test
    void unknownArgumentsAndAMalformedOldKeysFileShouldFailClearly() throws Exception {
        assertThat(run("--bogus")).isEqualTo(2);
        Files.writeString(dataDir.resolve(SigningKeyRotation.FILE_NAME), "ed25519 v1 not-a-key\n");
        assertThatThrownBy(() -> SigningKeyRotation.oldKeys(dataDir)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("old signing keys file");
    }

    private int run(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = RotateSigningKeyCommand.NAME;
        System.arraycopy(args, 0, all, 1, args.length);
        return new RotateSigningKeyCommand(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                Clock.fixed(NOW, ZoneOffset.UTC)).run(all);
    }
}
