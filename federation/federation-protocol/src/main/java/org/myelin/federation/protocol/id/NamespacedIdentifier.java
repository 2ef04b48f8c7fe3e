package org.myelin.federation.protocol.id;

/**
 * The Common Namespaced Identifier Grammar (appendices, added in v1.2): 1 to 255 characters, starting with
 * {@code [a-z]} and made only of {@code [a-z0-9-_.]}. The {@code m.} prefix is reserved for the spec but still
 * valid, and the reverse-DNS namespacing is a SHOULD, so neither is checked here.
 */
public final class NamespacedIdentifier {

    private static final int MAX_LENGTH = 255;

    private NamespacedIdentifier() {
    }

    /** True when {@code value} follows the grammar; false for null. */
    public static boolean isValid(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
            return false;
        }
        if (!isLower(value.charAt(0))) {
            return false;
        }
        for (int i = 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!isLower(c) && !(c >= '0' && c <= '9') && c != '-' && c != '_' && c != '.') {
                return false;
            }
        }
        return true;
    }

    private static boolean isLower(char c) {
        return c >= 'a' && c <= 'z';
    }
}
