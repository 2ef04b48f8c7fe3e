package org.myelin.clientapi.slidingsync;

import org.myelin.clientapi.sync.SyncToken;
import org.myelin.federation.protocol.error.MatrixException;

/**
 * The {@code pos} a sliding sync response hands out: the connection position that recorded what the connection
 * was sent (0 when nothing had to be kept) and the stream positions the response covered, written
 * {@code <connection position>/<sync token>} as Synapse's is. The stream part is the /sync token, so every stream
 * of /sync is a stream here too.
 */
record SlidingPos(long connectionPosition, SyncToken streams) {

    private static final int MAX_LENGTH = 4096;

    /** Reads a pos; anything this server did not write is 400 M_INVALID_PARAM. */
    static SlidingPos parse(String pos) {
        int slash = pos.indexOf('/');
        if (pos.length() > MAX_LENGTH || slash < 1 || slash > 18
                || !pos.substring(0, slash).chars().allMatch(Character::isDigit)) {
            throw MatrixException.invalidParam("Invalid pos");
        }
        SyncToken streams;
        try {
            streams = SyncToken.parse(pos.substring(slash + 1));
        } catch (MatrixException e) {
            throw MatrixException.invalidParam("Invalid pos");
        }
        return new SlidingPos(Long.parseLong(pos.substring(0, slash)), streams);
    }

    String format() {
        return connectionPosition + "/" + streams.format();
    }
}
