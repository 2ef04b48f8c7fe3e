package org.myelin.federation.server.keys;

import java.time.Clock;

import org.myelin.http.ApiRoutes;
import org.myelin.http.JsonBodies;
import org.myelin.http.Responses;
import org.myelin.http.RouteTable;
import org.springframework.http.HttpMethod;

/**
 * The key server's routes, none of which needs a request signature: this server's keys
 * ({@code GET /_matrix/key/v2/server}) and the notary queries ({@code /_matrix/key/v2/query}).
 */
public final class KeyRoutes {

    private KeyRoutes() {
    }

    public static ApiRoutes of(ServerKeys keys, KeyRing ring, JsonBodies bodies, Clock clock) {
        NotaryHandler notary = new NotaryHandler(keys, ring, bodies, clock);
        return new RouteTable()
                .route(HttpMethod.GET, "/_matrix/key/v2/server", request -> Responses.ok(keys.document()))
                .route(HttpMethod.GET, "/_matrix/key/v2/query/{serverName}", notary::queryOne)
                .route(HttpMethod.POST, "/_matrix/key/v2/query", notary::query)
                .build();
    }
}
