package org.myelin.clientapi.sync;

import java.util.Map;

import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.room.api.EventsBound;
import org.myelin.room.api.RoomPosition;
import org.myelin.room.api.TimelinePosition;

/**
 * The one reader and writer of the tokens room reads take ({@code from}/{@code to} of /messages, {@code at} of
 * /members): the {@code t<topological>-<stream>} tokens /messages and /context hand out, and /sync tokens (a
 * {@code next_batch}, or a timeline's {@code prev_batch}), of which only the events position matters here. A
 * timeline's {@code prev_batch} is itself a /sync token naming only the events position before its first event,
 * so paging back from it continues exactly where the timeline starts.
 */
public final class PaginationToken {

    private PaginationToken() {
    }

    /** The position a token names; a malformed one is 400 M_INVALID_PARAM. */
    public static RoomPosition parse(String token) {
        if (!token.startsWith("s")) {
            return TimelinePosition.parse(token);
        }
        try {
            return new EventsBound(SyncToken.parse(token).position(SyncToken.EVENTS));
        } catch (MatrixException e) {
            throw MatrixException.invalidParam("Invalid pagination token");
        }
    }

    /** The token of a position. */
    public static String format(RoomPosition position) {
        return position instanceof TimelinePosition t ? t.token()
                : eventsBefore(((EventsBound) position).stream());
    }

    /** The /sync token naming events position {@code stream} alone (a timeline's {@code prev_batch}). */
    public static String eventsBefore(long stream) {
        return new SyncToken(Map.of(SyncToken.EVENTS, stream)).format();
    }
}
