package org.myelin.db.room;

import org.myelin.federation.protocol.search.SearchToken;

/**
 * An event matching a search, with its rank ({@code ts_rank_cd}, higher is closer) and its place in the order.
 */
public record SearchCandidate(EventRow event, float rank, SearchToken position) {
}
