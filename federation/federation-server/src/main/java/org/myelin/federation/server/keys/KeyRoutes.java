package org.myelin.federation.server.keys;

import org.myelin.http.ApiRoutes;
import org.myelin.http.Responses;
import org.myelin.http.RouteTable;
import org.springframework.http.HttpMethod;

/** The key server's routes: GET /_matrix/key/v2/server. */
public final class KeyRoutes {

    private KeyRoutes() {
    }

    public static ApiRoutes of(ServerKeys keys) {
        return new RouteTable()
                .route(HttpMethod.GET, "/_matrix/key/v2/server", request -> Responses.ok(keys.document()))
                .build();
    }
}
