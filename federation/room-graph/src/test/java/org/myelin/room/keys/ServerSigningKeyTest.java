package org.myelin.room.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.federation.protocol.crypto.SigningKey;
import org.myelin.federation.protocol.crypto.UnpaddedBase64;

class ServerSigningKeyTest {

    @TempDir
    Path dataDir;

    @Test
    void firstStartShouldCreateAnOwnerOnlyKeyThatLaterStartsLoadAgain() throws Exception {
        SigningKey created = ServerSigningKey.loadOrCreate(dataDir.resolve("sub"), new SecureRandom());
        Path file = dataDir.resolve("sub").resolve(ServerSigningKey.FILE_NAME);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(created.keyId().toString()).matches("ed25519:[A-Za-z0-9]{8}");
        assertThat(Files.readString(file)).isEqualTo("ed25519 " + created.keyId().version() + " "
                + UnpaddedBase64.encode(created.seed()) + "\n");

        SigningKey loaded = ServerSigningKey.loadOrCreate(dataDir.resolve("sub"), new SecureRandom());
        assertThat(loaded.keyId()).isEqualTo(created.keyId());
        assertThat(loaded.verifyKey().toBase64()).isEqualTo(created.verifyKey().toBase64());
        assertThat(loaded.toString()).doesNotContain(UnpaddedBase64.encode(created.seed()));
    }

    @Test
    void aMalformedKeyFileShouldStopStartUpWithoutEchoingIt() throws Exception {
        Files.writeString(dataDir.resolve(ServerSigningKey.FILE_NAME), "ed25519 abc c2VjcmV0\n");
        assertThatThrownBy(() -> ServerSigningKey.loadOrCreate(dataDir, new SecureRandom()))
                .isInstanceOf(IllegalStateException.class).hasMessageNotContaining("c2VjcmV0");
    }
}
