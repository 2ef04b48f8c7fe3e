package org.myelin.room.keys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import org.myelin.federation.protocol.crypto.SigningKey;
import org.myelin.federation.protocol.crypto.UnpaddedBase64;
import org.myelin.federation.protocol.crypto.VerifyKey;
import org.myelin.federation.protocol.id.KeyId;

/**
 * Key rotation: the current key's public half moves to {@code <data dir>/}{@value #FILE_NAME} (one line per key,
 * {@code ed25519 <version> <unpadded base64 public key> <expired_ts>}) and a new key replaces {@code signing.key}.
 * Blocking file I/O, for start-up and the command line only.
 */
public final class SigningKeyRotation {

    /** The old keys' file inside the data directory. */
    public static final String FILE_NAME = "old_signing_keys";

    private SigningKeyRotation() {
    }

    /** The keys rotated out so far, oldest first; none when the file does not exist. */
    public static List<OldVerifyKey> oldKeys(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            List<OldVerifyKey> keys = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                if (!line.isBlank()) {
                    keys.add(parse(line, file));
                }
            }
            return List.copyOf(keys);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the old signing keys " + file, e);
        }
    }

    /**
     * Retires the current key at {@code now} and writes a new one; returns the new key. Every node of the server
     * must get the new {@code signing.key} and {@value #FILE_NAME} before it restarts.
     */
    public static SigningKey rotate(Path dataDir, SecureRandom random, long now) {
        SigningKey current = ServerSigningKey.loadOrCreate(dataDir, random);
        try {
            String line = KeyId.ED25519 + " " + current.keyId().version() + " " + current.verifyKey().toBase64()
                    + " " + now + "\n";
            Files.writeString(dataDir.resolve(FILE_NAME), line, StandardCharsets.US_ASCII, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            Path retired = dataDir.resolve(ServerSigningKey.FILE_NAME + ".retired");
            Files.move(dataDir.resolve(ServerSigningKey.FILE_NAME), retired, StandardCopyOption.REPLACE_EXISTING);
            SigningKey next = ServerSigningKey.loadOrCreate(dataDir, random);
            Files.delete(retired);
            return next;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot rotate the signing key in " + dataDir, e);
        }
    }

    private static OldVerifyKey parse(String line, Path file) {
        String[] parts = line.trim().split("\\s+");
        if (parts.length != 4 || !KeyId.ED25519.equals(parts[0]) || !parts[3].matches("[0-9]{1,18}")) {
            throw new IllegalStateException("The old signing keys file " + file
                    + " has a line that is not 'ed25519 <version> <public key> <expired_ts>'");
        }
        byte[] key = UnpaddedBase64.tryDecode(parts[2]).filter(k -> k.length == 32).orElseThrow(
                () -> new IllegalStateException("The old signing keys file " + file + " holds a malformed key"));
        return new OldVerifyKey(VerifyKey.of(KeyId.ed25519(parts[1]), key), Long.parseLong(parts[3]));
    }
}
