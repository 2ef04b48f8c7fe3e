package org.myelin.media;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * Media IDs: 24 random letters and digits when issued; when received, only {@code A-Za-z0-9_-} as the spec
 * requires of them (so an ID can never walk a path or reach a store key it should not).
 */
public final class MediaIds {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]{1,255}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private MediaIds() {
    }

    public static String generate() {
        StringBuilder id = new StringBuilder(24);
        for (int i = 0; i < 24; i++) {
            id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return id.toString();
    }

    public static boolean isValid(String mediaId) {
        return mediaId != null && VALID.matcher(mediaId).matches();
    }
}
