package org.myelin.federation.protocol.id;

/**
 * A signing key identifier, {@code algorithm:version} such as {@code ed25519:abc123}
 * (appendices "Signing Details"; server keys: the version matches {@code [a-zA-Z0-9_]}).
 *
 * @param algorithm the signing algorithm, e.g. {@code ed25519}
 * @param version   distinguishes the keys one entity holds
 */
public record KeyId(String algorithm, String version) {

    /** The only signing algorithm homeservers support. */
    public static final String ED25519 = "ed25519";

    private static final String WHAT = "key ID";

    /** Validates both parts. */
    public KeyId {
        IdentifierGrammar.requireNonNull(algorithm, WHAT);
        IdentifierGrammar.requireNonNull(version, WHAT);
        if (!isWord(algorithm, false) || !isWord(version, true)) {
            throw IdentifierGrammar.invalid(WHAT, algorithm + ":" + version);
        }
    }

    /** Parses {@code algorithm:version}; throws {@code MatrixException(M_INVALID_PARAM)} when malformed. */
    public static KeyId parse(String value) {
        IdentifierGrammar.requireNonNull(value, WHAT);
        int colon = value.indexOf(':');
        if (colon < 0) {
            throw IdentifierGrammar.invalid(WHAT, value);
        }
        return new KeyId(value.substring(0, colon), value.substring(colon + 1));
    }

    /** An Ed25519 key ID with the given version. */
    public static KeyId ed25519(String version) {
        return new KeyId(ED25519, version);
    }

    /** True when this key uses the Ed25519 algorithm. */
    public boolean isEd25519() {
        return ED25519.equals(algorithm);
    }

    @Override
    public String toString() {
        return algorithm + ":" + version;
    }

    /** Algorithms are lower-case words; versions may also use upper case. Both allow digits and '_'. */
    private static boolean isWord(String s, boolean upperAllowed) {
        if (s.isEmpty() || s.length() > 255) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'
                    || (upperAllowed && c >= 'A' && c <= 'Z');
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
