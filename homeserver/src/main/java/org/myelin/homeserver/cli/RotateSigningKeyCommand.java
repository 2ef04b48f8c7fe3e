package org.myelin.homeserver.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;

import org.myelin.federation.protocol.crypto.SigningKey;
import org.myelin.room.keys.SigningKeyRotation;

/**
 * {@code java -jar homeserver.jar rotate-signing-key [--data-dir DIR]}: retires the server's signing key (it stays
 * published under {@code old_verify_keys}, expired now) and writes a new one into the data directory (default
 * MYELIN_DATA_DIR, else ./data). Run it with the server stopped; copy the directory's {@code signing.key} and
 * {@code old_signing_keys} to every other node before they restart.
 */
public final class RotateSigningKeyCommand {

    public static final String NAME = "rotate-signing-key";

    private final PrintStream out;
    private final Clock clock;

    public RotateSigningKeyCommand(PrintStream out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    /** Runs the command; returns the process exit code. */
    public int run(String[] args) {
        String dataDir = System.getenv().getOrDefault("MYELIN_DATA_DIR", "./data");
        for (int i = 1; i < args.length; i++) {
            if ("--data-dir".equals(args[i]) && i + 1 < args.length) {
                dataDir = args[++i];
            } else {
                out.println("usage: rotate-signing-key [--data-dir DIR]");
                return 2;
            }
        }
        try {
            SigningKey key = SigningKeyRotation.rotate(Path.of(dataDir), new SecureRandom(), clock.millis());
            out.println("New signing key " + key.keyId() + " in " + dataDir
                    + "; the previous one is now an old verify key. Restart every node with these files.");
            return 0;
        } catch (RuntimeException e) {
            out.println("Cannot rotate the signing key: " + e.getMessage());
            return 1;
        }
    }
}
