package org.myelin.room.api;

import org.myelin.federation.protocol.id.UserId;

import reactor.core.publisher.Mono;

/**
 * Server-side search of room events (https://spec.matrix.org/v1.19/client-server-api/#server-side-search): the
 * events of every room the user is joined to, has left or was banned from whose indexed text matches the term,
 * each one only if the user may see it (the room's history visibility, as /messages applies it). Rejected,
 * soft-failed, outlier and redacted events never match.
 */
public interface ClientSearchApi {

    /** One page of results, with what the request asked for around them. */
    Mono<SearchPage> search(UserId user, SearchRequest request);
}
