package org.myelin.room.keys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;

import org.myelin.federation.protocol.crypto.SigningKey;
import org.myelin.federation.protocol.crypto.UnpaddedBase64;
import org.myelin.federation.protocol.id.KeyId;

/**
 * Loads the server's Ed25519 signing key from {@code <data dir>/signing.key}, creating it on first start. The file
 * uses Synapse's one-line format, {@code ed25519 <version> <unpadded base64 seed>}, so keys can move between
 * servers, and is created with mode 600 before the seed is written to it.
 */
public final class ServerSigningKey {

    /** The key file's name inside the data directory. */
    public static final String FILE_NAME = "signing.key";

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final char[] VERSION_CHARS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final int VERSION_LENGTH = 8;

    private ServerSigningKey() {
    }

    /**
     * The key stored in {@code dataDir}, or a new one written there when there is none. Blocking file I/O: call it
     * at start-up, not on an event loop. Throws {@link IllegalStateException} for a malformed key file.
     */
    public static SigningKey loadOrCreate(Path dataDir, SecureRandom random) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            if (Files.exists(file)) {
                return parse(Files.readString(file, StandardCharsets.US_ASCII), file);
            }
            Files.createDirectories(dataDir);
            SigningKey key = SigningKey.generate(KeyId.ed25519(randomVersion(random)), random);
            write(file, key);
            return key;
        } catch (FileAlreadyExistsException raced) {
            return loadOrCreate(dataDir, random);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the signing key " + file, e);
        }
    }

    private static void write(Path file, SigningKey key) throws IOException {
        String line = KeyId.ED25519 + " " + key.keyId().version() + " " + UnpaddedBase64.encode(key.seed()) + "\n";
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } else {
            Files.createFile(file);
        }
        Files.writeString(file, line, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
    }

    private static SigningKey parse(String text, Path file) {
        String[] parts = text.trim().split("\\s+");
        if (parts.length != 3 || !KeyId.ED25519.equals(parts[0])) {
            throw new IllegalStateException("The signing key file " + file + " is not 'ed25519 <version> <seed>'");
        }
        byte[] seed = UnpaddedBase64.tryDecode(parts[2]).filter(s -> s.length == 32).orElseThrow(
                () -> new IllegalStateException("The signing key file " + file + " holds no 32-byte Ed25519 seed"));
        return SigningKey.fromSeed(KeyId.ed25519(parts[1]), seed);
    }

    private static String randomVersion(SecureRandom random) {
        StringBuilder version = new StringBuilder(VERSION_LENGTH);
        for (int i = 0; i < VERSION_LENGTH; i++) {
            version.append(VERSION_CHARS[random.nextInt(VERSION_CHARS.length)]);
        }
        return version.toString();
    }
}
