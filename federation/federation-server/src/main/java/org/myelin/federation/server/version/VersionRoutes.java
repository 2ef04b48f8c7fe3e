package org.myelin.federation.server.version;

import java.util.Map;

import org.myelin.http.ApiRoutes;
import org.myelin.http.Responses;
import org.myelin.http.RouteTable;
import org.springframework.http.HttpMethod;

/**
 * GET /_matrix/federation/v1/version (https://spec.matrix.org/v1.19/server-server-api/#get_matrixfederationv1version):
 * the software's name and version, which servers and operators use to tell implementations apart. It needs no
 * request signature.
 */
public final class VersionRoutes {

    static final String NAME = "Myelin";

    private VersionRoutes() {
    }

    /** @param version this build's version, e.g. from the jar's manifest */
    public static ApiRoutes of(String version) {
        Map<String, Object> body = Map.of("server", Map.of("name", NAME, "version", version));
        return new RouteTable()
                .route(HttpMethod.GET, "/_matrix/federation/v1/version", request -> Responses.ok(body))
                .build();
    }
}
