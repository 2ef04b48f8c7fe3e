package org.myelin.federation.protocol.id;

/**
 * A Matrix user ID, {@code @localpart:server} (appendices "User Identifiers").
 *
 * <p>Construction accepts historical user IDs, as servers MUST: the localpart may be any non-surrogate code
 * points except {@code :} and NUL, even empty. Use {@link #isValidNewLocalpart(String)} before creating an
 * account, and {@link #isNonCompliant()} before exposing an ID to clients outside an event.
 *
 * @param localpart the part between {@code @} and the first {@code :}
 * @param server    the homeserver that allocated the ID
 */
public record UserId(String localpart, ServerName server) {

    private static final String WHAT = "user ID";

    /** Validates the parts and the 255-byte limit. */
    public UserId {
        IdentifierGrammar.requireNonNull(localpart, WHAT);
        if (server == null) {
            throw IdentifierGrammar.invalid(WHAT, "@" + localpart);
        }
        IdentifierGrammar.checkOpaqueLocalpart(localpart, WHAT);
        IdentifierGrammar.checkLength("@" + localpart + ":" + server.value(), WHAT);
    }

    /** Parses {@code @localpart:server}; throws {@code MatrixException(M_INVALID_PARAM)} when malformed. */
    public static UserId parse(String value) {
        IdentifierGrammar.requireNonNull(value, WHAT);
        int colon = value.indexOf(':');
        if (!value.startsWith("@") || colon < 0) {
            throw IdentifierGrammar.invalid(WHAT, value);
        }
        return new UserId(value.substring(1, colon), ServerName.parse(value.substring(colon + 1)));
    }

    /**
     * The strict grammar for localparts a server allocates today: non-empty, only {@code a-z 0-9 . _ = - / +}.
     */
    public static boolean isValidNewLocalpart(String localpart) {
        if (localpart == null || localpart.isEmpty()) {
            return false;
        }
        for (int i = 0; i < localpart.length(); i++) {
            char c = localpart.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '=' || c == '-' || c == '/' || c == '+';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** True when this ID's localpart follows the strict grammar of {@link #isValidNewLocalpart(String)}. */
    public boolean hasValidNewLocalpart() {
        return isValidNewLocalpart(localpart);
    }

    /**
     * The spec's "non-compliant" historical IDs: an empty localpart, or one with characters outside
     * U+0021..U+007E. Accepted in events, but SHOULD NOT be forwarded to clients outside an event's context.
     */
    public boolean isNonCompliant() {
        return localpart.isEmpty() || !localpart.chars().allMatch(c -> c >= 0x21 && c <= 0x7E);
    }

    @Override
    public String toString() {
        return "@" + localpart + ":" + server.value();
    }
}
