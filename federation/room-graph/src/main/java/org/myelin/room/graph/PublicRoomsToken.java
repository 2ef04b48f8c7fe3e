package org.myelin.room.graph;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.myelin.db.room.PublicRoomsQuery;
import org.myelin.federation.protocol.error.MatrixException;

/**
 * A /publicRooms pagination token: a direction and the directory position it pages from (the last room of a page
 * for next_batch, the first for prev_batch). Encoded as unpadded URL-safe base64 of {@code f|joined|room} or
 * {@code b|joined|room}, so clients treat it as opaque and a room ID's characters need no escaping.
 *
 * @param backwards true for a prev_batch token
 */
record PublicRoomsToken(boolean backwards, PublicRoomsQuery.Position position) {

    /** The token's text. */
    String encode() {
        String raw = (backwards ? "b" : "f") + "|" + position.joinedMembers() + "|" + position.roomId();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a token this server handed out; 400 M_INVALID_PARAM for anything else. */
    static PublicRoomsToken decode(String token) {
        String raw;
        try {
            raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        String[] parts = raw.split("\\|", 3);
        if (parts.length != 3 || !(parts[0].equals("f") || parts[0].equals("b")) || !parts[2].startsWith("!")) {
            throw invalid();
        }
        long joined;
        try {
            joined = Long.parseLong(parts[1]);
        } catch (NumberFormatException e) {
            throw invalid();
        }
        if (joined < 0) {
            throw invalid();
        }
        return new PublicRoomsToken(parts[0].equals("b"), new PublicRoomsQuery.Position(joined, parts[2]));
    }

    private static MatrixException invalid() {
        return MatrixException.invalidParam("Unknown pagination token");
    }
}
