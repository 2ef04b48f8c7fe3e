package org.myelin.federation.server.query;

import org.myelin.db.account.ProfileRepository;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.server.auth.FederationRouteTable;
import org.myelin.room.api.ClientDirectoryApi;
import org.springframework.http.HttpMethod;

/** Adds the query routes, behind X-Matrix, to the server-server API's table. */
public final class QueryRoutes {

    private QueryRoutes() {
    }

    public static FederationRouteTable addTo(FederationRouteTable table, ServerName self, ProfileRepository profiles,
                                             ClientDirectoryApi directory) {
        QueryHandler handler = new QueryHandler(self, profiles, directory);
        return table
                .signed(HttpMethod.GET, "/_matrix/federation/v1/query/profile", handler::profile)
                .signed(HttpMethod.GET, "/_matrix/federation/v1/query/directory", handler::directory);
    }
}
