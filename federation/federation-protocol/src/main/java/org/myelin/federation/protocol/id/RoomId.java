package org.myelin.federation.protocol.id;

import java.util.Optional;

/**
 * A room ID (appendices "Room IDs"). Rooms v1–11 use {@code !opaque:server}; room v12 uses {@code !} followed by
 * the 43-character URL-safe unpadded base64 reference hash of the create event, with no server part.
 *
 * @param value the whole ID including the {@code !} sigil
 */
public record RoomId(String value) {

    private static final String WHAT = "room ID";

    /** Validates either form and the 255-byte limit. */
    public RoomId {
        IdentifierGrammar.requireNonNull(value, WHAT);
        if (!value.startsWith("!")) {
            throw IdentifierGrammar.invalid(WHAT, value);
        }
        IdentifierGrammar.checkLength(value, WHAT);
        int colon = value.indexOf(':');
        if (colon < 0) {
            if (!IdentifierGrammar.isHash(value.substring(1), '-', '_')) {
                throw IdentifierGrammar.invalid(WHAT, value);
            }
        } else {
            IdentifierGrammar.checkOpaqueLocalpart(value.substring(1, colon), WHAT);
            ServerName.parse(value.substring(colon + 1));
        }
    }

    /** Parses a room ID of either form; throws {@code MatrixException(M_INVALID_PARAM)} when malformed. */
    public static RoomId parse(String value) {
        return new RoomId(value);
    }

    /** The room v12 form: the create event's ID with {@code !} in place of {@code $}. */
    public static RoomId fromCreateEventId(EventId createEventId) {
        return new RoomId("!" + createEventId.value().substring(1));
    }

    /** The server part of a v1–11 room ID; empty for v12 hash-based IDs. */
    public Optional<ServerName> server() {
        int colon = value.indexOf(':');
        return colon < 0 ? Optional.empty() : Optional.of(ServerName.parse(value.substring(colon + 1)));
    }

    @Override
    public String toString() {
        return value;
    }
}
