package org.myelin.federation.protocol.search;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.myelin.federation.protocol.error.MatrixException;

/**
 * Where a page of /search results ended: the last result's place in the order asked for, so that the next page
 * starts strictly after it (keyset paging, stable while new events arrive), and the group the page was limited
 * to. Ordered by rank, results sort by (rank, stream ordering) descending; ordered by recent, by
 * (origin_server_ts, stream ordering) descending. Rank is PostgreSQL's {@code real}, which a Java {@code float}
 * holds exactly, so the next query compares against the very value it computed.
 *
 * <p>The token is opaque to clients: {@code base64url("1\n" + room + "\n" + r|t + "\n" + rank|ts + "\n" +
 * stream)}, {@code room} empty when the search was not limited to one room's group.
 *
 * @param room   the room whose group the search is limited to, or null for all results
 * @param byRank whether the results are ordered by rank (else by recency)
 * @param rank   the last result's rank (ordering by rank)
 * @param ts     the last result's origin_server_ts (ordering by recency)
 * @param stream the last result's stream ordering, the tie-breaker
 */
public record SearchToken(String room, boolean byRank, float rank, long ts, long stream) {

    private static final String VERSION = "1";

    /** The position after a result ordered by rank. */
    public static SearchToken afterRank(float rank, long stream) {
        return new SearchToken(null, true, rank, 0, stream);
    }

    /** The position after a result ordered by recency. */
    public static SearchToken afterRecent(long ts, long stream) {
        return new SearchToken(null, false, 0, ts, stream);
    }

    /** The same position, limited to the group of {@code roomId} (null: all results). */
    public SearchToken inRoom(String roomId) {
        return new SearchToken(roomId, byRank, rank, ts, stream);
    }

    public String encode() {
        String value = byRank ? Float.toString(rank) : Long.toString(ts);
        String text = String.join("\n", VERSION, room == null ? "" : room, byRank ? "r" : "t", value,
                Long.toString(stream));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a {@code next_batch}; anything this class did not write is 400 M_INVALID_PARAM. */
    public static SearchToken parse(String token) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            String[] parts = text.split("\n", -1);
            if (parts.length != 5 || !VERSION.equals(parts[0]) || parts[1].indexOf('\n') >= 0) {
                throw invalid();
            }
            String room = parts[1].isEmpty() ? null : parts[1];
            if (room != null && !room.startsWith("!")) {
                throw invalid();
            }
            long stream = Long.parseLong(parts[4]);
            switch (parts[2]) {
                case "r" -> {
                    float rank = Float.parseFloat(parts[3]);
                    if (!Float.isFinite(rank)) {
                        throw invalid();
                    }
                    return afterRank(rank, stream).inRoom(room);
                }
                case "t" -> {
                    return afterRecent(Long.parseLong(parts[3]), stream).inRoom(room);
                }
                default -> throw invalid();
            }
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    private static MatrixException invalid() {
        return MatrixException.invalidParam("Invalid next_batch");
    }
}
