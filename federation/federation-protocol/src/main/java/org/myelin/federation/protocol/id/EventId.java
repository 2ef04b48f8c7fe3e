package org.myelin.federation.protocol.id;

import java.util.Optional;

/**
 * An event ID (appendices "Event IDs"; rooms "Event IDs"). Rooms v1–2 use {@code $opaque:server}; room v3 uses
 * {@code $} + standard unpadded base64 of the reference hash; rooms v4+ use the URL-safe alphabet.
 * Parsing accepts any of these forms; which one a room allows is decided by its {@code RoomVersion}.
 *
 * @param value the whole ID including the {@code $} sigil
 */
public record EventId(String value) {

    private static final String WHAT = "event ID";

    /** Validates either form and the 255-byte limit. */
    public EventId {
        IdentifierGrammar.requireNonNull(value, WHAT);
        if (!value.startsWith("$")) {
            throw IdentifierGrammar.invalid(WHAT, value);
        }
        IdentifierGrammar.checkLength(value, WHAT);
        int colon = value.indexOf(':');
        if (colon < 0) {
            String hash = value.substring(1);
            if (!IdentifierGrammar.isHash(hash, '+', '/') && !IdentifierGrammar.isHash(hash, '-', '_')) {
                throw IdentifierGrammar.invalid(WHAT, value);
            }
        } else {
            IdentifierGrammar.checkOpaqueLocalpart(value.substring(1, colon), WHAT);
            ServerName.parse(value.substring(colon + 1));
        }
    }

    /** Parses an event ID of any form; throws {@code MatrixException(M_INVALID_PARAM)} when malformed. */
    public static EventId parse(String value) {
        return new EventId(value);
    }

    /** The server part of a room v1–2 event ID; empty for hash-based IDs. */
    public Optional<ServerName> server() {
        int colon = value.indexOf(':');
        return colon < 0 ? Optional.empty() : Optional.of(ServerName.parse(value.substring(colon + 1)));
    }

    @Override
    public String toString() {
        return value;
    }
}
