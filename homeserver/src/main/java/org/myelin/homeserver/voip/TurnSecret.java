package org.myelin.homeserver.voip;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

import org.myelin.homeserver.startup.StartupException;

/**
 * The TURN REST shared secret: the configured one, else one generated on first start and kept in
 * {@code <data-dir>/turn.secret} (mode 600) so credentials survive restarts. Nodes sharing a database must be
 * given the same secret explicitly.
 */
final class TurnSecret {

    private TurnSecret() {
    }

    static String resolve(String configured, Path dataDir) {
        if (configured != null && !configured.isBlank()) {
            return configured.trim();
        }
        Path file = dataDir.toAbsolutePath().normalize().resolve("turn.secret");
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).trim();
            }
            Files.createDirectories(file.getParent());
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Files.writeString(file, secret, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return secret;
        } catch (IOException | UnsupportedOperationException e) {
            throw new StartupException("cannot read or create the TURN secret " + file + ": " + e.getMessage());
        }
    }
}
