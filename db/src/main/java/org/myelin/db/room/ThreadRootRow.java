package org.myelin.db.room;

/**
 * A thread root with what its {@code m.thread} aggregation needs.
 *
 * @param root          the root event
 * @param latest        the latest event of the thread
 * @param replies       how many events relate to the root with {@code m.thread}
 * @param participated  whether the user asked about sent the root or a reply
 */
public record ThreadRootRow(EventRow root, EventRow latest, long replies, boolean participated) {
}
