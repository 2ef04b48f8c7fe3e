package org.myelin.clientapi.ephemeral.accountdata;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Global account data the server computes instead of storing as written, such as {@code m.push_rules}. Its writer
 * still stores a row of that type on the "account_data" stream at each change, which tells {@link AccountDataSource}
 * when to report it; the content reported is the one computed here, and an initial sync always reports it.
 */
public interface ComputedAccountData {

    /** The account data type, e.g. {@code m.push_rules}. */
    String type();

    /** The user's current content. */
    Mono<? extends JsonNode> content(String userId);
}
