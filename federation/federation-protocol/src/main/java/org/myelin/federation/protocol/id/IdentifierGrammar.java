package org.myelin.federation.protocol.id;

import java.nio.charset.StandardCharsets;

import org.myelin.federation.protocol.error.MatrixException;

/** Rules shared by the sigil identifiers (appendices "Common Identifier Format"). */
final class IdentifierGrammar {

    /** The spec caps user IDs, room IDs, aliases and event IDs at 255 bytes including sigil and domain. */
    static final int MAX_BYTES = 255;

    private static final int MAX_ECHO = 80;

    private IdentifierGrammar() {
    }

    static MatrixException invalid(String what, String value) {
        String shown = value == null ? "null" : value.length() > MAX_ECHO ? value.substring(0, MAX_ECHO) + "…" : value;
        return MatrixException.invalidParam("Invalid " + what + ": " + shown);
    }

    static String requireNonNull(String value, String what) {
        if (value == null) {
            throw invalid(what, null);
        }
        return value;
    }

    /** Fails unless the whole identifier fits in {@link #MAX_BYTES} UTF-8 bytes. */
    static void checkLength(String identifier, String what) {
        if (identifier.length() > MAX_BYTES || identifier.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw invalid(what + " (longer than 255 bytes)", identifier);
        }
    }

    /**
     * The lenient localpart rule the spec gives for historical user IDs, room IDs and aliases: any non-surrogate
     * code point except {@code :} and NUL, possibly empty.
     */
    static void checkOpaqueLocalpart(String localpart, String what) {
        for (int i = 0; i < localpart.length(); i++) {
            char c = localpart.charAt(i);
            if (c == ':' || c == '\0') {
                throw invalid(what, localpart);
            }
            if (Character.isHighSurrogate(c) && i + 1 < localpart.length()
                    && Character.isLowSurrogate(localpart.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw invalid(what, localpart);
            }
        }
    }

    /** True for the 43-character unpadded base64 of a sha256 hash in the given alphabet's last two characters. */
    static boolean isHash(String s, char c62, char c63) {
        if (s.length() != 43) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == c62 || c == c63;
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
