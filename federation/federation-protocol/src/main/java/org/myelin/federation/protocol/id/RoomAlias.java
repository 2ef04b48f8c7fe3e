package org.myelin.federation.protocol.id;

/**
 * A room alias, {@code #localpart:server} (appendices "Room Aliases").
 *
 * @param localpart any non-surrogate code points except {@code :} and NUL
 * @param server    the homeserver that can resolve the alias
 */
public record RoomAlias(String localpart, ServerName server) {

    private static final String WHAT = "room alias";

    /** Validates the parts and the 255-byte limit. */
    public RoomAlias {
        IdentifierGrammar.requireNonNull(localpart, WHAT);
        if (server == null) {
            throw IdentifierGrammar.invalid(WHAT, "#" + localpart);
        }
        IdentifierGrammar.checkOpaqueLocalpart(localpart, WHAT);
        IdentifierGrammar.checkLength("#" + localpart + ":" + server.value(), WHAT);
    }

    /** Parses {@code #localpart:server}; throws {@code MatrixException(M_INVALID_PARAM)} when malformed. */
    public static RoomAlias parse(String value) {
        IdentifierGrammar.requireNonNull(value, WHAT);
        int colon = value.indexOf(':');
        if (!value.startsWith("#") || colon < 0) {
            throw IdentifierGrammar.invalid(WHAT, value);
        }
        return new RoomAlias(value.substring(1, colon), ServerName.parse(value.substring(colon + 1)));
    }

    @Override
    public String toString() {
        return "#" + localpart + ":" + server.value();
    }
}
