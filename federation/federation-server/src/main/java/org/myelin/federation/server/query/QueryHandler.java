package org.myelin.federation.server.query;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.myelin.db.account.ProfileRepository;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.RoomAlias;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.federation.server.auth.SignedRequest;
import org.myelin.http.Responses;
import org.myelin.room.api.ClientDirectoryApi;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;

/**
 * {@code GET /_matrix/federation/v1/query/profile} and {@code /query/directory}: what another server may ask about
 * this server's users and aliases. Asking about another server's user or alias is {@code 400 M_INVALID_PARAM};
 * an unknown one is {@code 404 M_NOT_FOUND}.
 */
final class QueryHandler {

    private final ServerName self;
    private final ProfileRepository profiles;
    private final ClientDirectoryApi directory;

    QueryHandler(ServerName self, ProfileRepository profiles, ClientDirectoryApi directory) {
        this.self = self;
        this.profiles = profiles;
        this.directory = directory;
    }

    Mono<ServerResponse> profile(ServerRequest request, SignedRequest signed) {
        UserId user = UserId.parse(required(request, "user_id"));
        Optional<String> field = request.queryParam("field");
        if (!user.server().equals(self)) {
            throw MatrixException.invalidParam("User " + user + " is not a user of this server");
        }
        return profiles.find(user.toString())
                .switchIfEmpty(Mono.error(() -> MatrixException.notFound("Profile not found")))
                .flatMap(row -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    if (row.displayname() != null && field.map("displayname"::equals).orElse(true)) {
                        body.put("displayname", row.displayname());
                    }
                    if (row.avatarUrl() != null && field.map("avatar_url"::equals).orElse(true)) {
                        body.put("avatar_url", row.avatarUrl());
                    }
                    return Responses.ok(body);
                });
    }

    Mono<ServerResponse> directory(ServerRequest request, SignedRequest signed) {
        RoomAlias alias = RoomAlias.parse(required(request, "room_alias"));
        if (!alias.server().equals(self)) {
            throw MatrixException.invalidParam("Room alias " + alias + " is not an alias of this server");
        }
        return directory.resolveAlias(alias).flatMap(target -> Responses.ok(Map.of(
                "room_id", target.roomId().value(),
                "servers", target.servers().stream().map(ServerName::value).toList())));
    }

    private static String required(ServerRequest request, String name) {
        return request.queryParam(name).orElseThrow(() -> MatrixException.missingParam("Missing " + name));
    }
}
