package org.myelin.clientapi.sync;

import tools.jackson.databind.node.ObjectNode;

/**
 * One computed /sync response.
 *
 * @param body    the response body, next_batch included
 * @param next    the token the body hands out
 * @param request what the sources were asked (the joined rooms at {@code next}, for long-poll relevance)
 * @param empty   whether nothing in it concerns the user (an incremental sync may then wait)
 */
public record SyncResult(ObjectNode body, SyncToken next, SyncRequest request, boolean empty) {
}
