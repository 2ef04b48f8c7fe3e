package org.myelin.clientapi.search;

import java.util.LinkedHashMap;
import java.util.Map;

import org.myelin.clientapi.auth.Requester;
import org.myelin.db.directory.UserDirectoryRepository;
import org.myelin.db.directory.UserDirectoryRepository.UserDirectoryRow;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.search.DirectoryTerms;
import org.myelin.http.JsonBodies;
import org.myelin.http.JsonFields;
import org.myelin.http.Responses;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * POST /_matrix/client/v3/user_directory/search
 * (https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3user_directorysearch): users whose
 * localpart, display name or server name has words starting with each word of {@code search_term}, among those
 * the searcher may find (see {@link UserDirectoryRepository}); {@code limited} when more matched than
 * {@code limit}.
 */
@Component
public class UserDirectoryHandler {

    /** Users per answer when the client names no limit (the spec's default). */
    static final int DEFAULT_LIMIT = 10;
    /** NOTSPEC: a larger limit is lowered to 50, as Synapse does. */
    static final int MAX_LIMIT = 50;

    private final JsonBodies bodies;
    private final UserDirectoryRepository directory;

    public UserDirectoryHandler(JsonBodies bodies, UserDirectoryRepository directory) {
        this.bodies = bodies;
        this.directory = directory;
    }

    public Mono<ServerResponse> search(ServerRequest request, Requester requester) {
        return bodies.object(request).flatMap(body -> {
            DirectoryTerms terms = DirectoryTerms.of(JsonFields.requiredString(body, "search_term"));
            int limit = limit(body.get("limit"));
            return directory.search(requester.userId(), terms, limit + 1).flatMap(users -> Responses.ok(Map.of(
                    "results", users.stream().limit(limit).map(UserDirectoryHandler::user).toList(),
                    "limited", users.size() > limit)));
        });
    }

    private static int limit(JsonNode limit) {
        if (limit == null || limit.isNull()) {
            return DEFAULT_LIMIT;
        }
        if (!limit.isIntegralNumber() || !limit.canConvertToLong()) {
            throw MatrixException.badJson("limit must be an integer");
        }
        if (limit.longValue() < 0) {
            throw MatrixException.invalidParam("limit must not be negative");
        }
        return (int) Math.min(limit.longValue(), MAX_LIMIT);
    }

    private static Map<String, Object> user(UserDirectoryRow row) {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("user_id", row.userId());
        if (row.displayName() != null) {
            user.put("display_name", row.displayName());
        }
        if (row.avatarUrl() != null) {
            user.put("avatar_url", row.avatarUrl());
        }
        return user;
    }
}
