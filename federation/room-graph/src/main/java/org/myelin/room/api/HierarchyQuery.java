package org.myelin.room.api;

/**
 * A GET /hierarchy request.
 *
 * @param suggestedOnly only children marked {@code suggested}
 * @param maxDepth      how deep to go below the root (0: the root only), or null for the server's maximum
 * @param limit         the most rooms on this page (already checked to be positive)
 * @param from          the {@code next_batch} of the previous page, or null for the first
 */
public record HierarchyQuery(boolean suggestedOnly, Integer maxDepth, int limit, String from) {

    /** The most rooms on one page, whatever the client asks (Synapse's maximum as well), and the default. */
    public static final int MAX_LIMIT = 50;
}
