package org.myelin.federation.server.query;

import java.util.LinkedHashMap;
import java.util.Map;

import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.federation.server.client.FederationClient;
import org.myelin.federation.server.client.RemoteServerException;
import org.myelin.room.api.RemoteProfiles;

import reactor.core.publisher.Mono;

/**
 * Another server's user's profile ({@code GET /_matrix/federation/v1/query/profile}): its 404 is the client's 404
 * {@code M_NOT_FOUND}; a server that cannot be reached is 502 {@code M_UNKNOWN}. Only string fields are kept.
 */
public final class RemoteProfileQuery implements RemoteProfiles {

    private final FederationClient client;

    public RemoteProfileQuery(FederationClient client) {
        this.client = client;
    }

    @Override
    public Mono<Map<String, Object>> profile(UserId user) {
        return client.get(user.server(), "/_matrix/federation/v1/query/profile?user_id="
                        + FederationClient.segment(user.toString()))
                .map(answer -> {
                    Map<String, Object> fields = new LinkedHashMap<>();
                    answer.properties().forEach(e -> {
                        if (e.getValue().isString()) {
                            fields.put(e.getKey(), e.getValue().stringValue());
                        }
                    });
                    return fields;
                })
                .onErrorMap(RemoteServerException.class, e -> e.status() == 404
                        ? MatrixException.notFound("Profile not found")
                        : new MatrixException(ErrCode.M_UNKNOWN, 502, "The user's server could not be asked: "
                                + e.getMessage()));
    }
}
