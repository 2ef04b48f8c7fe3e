package org.myelin.federation.server.query;

import org.myelin.db.account.ProfileRepository;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.server.auth.FederationRouteTable;
import org.myelin.room.api.ClientDirectoryApi;
import org.springframework.http.HttpMethod;

/** Adds the query and room directory routes, behind X-Matrix, to the server-server API's table. */
public final class QueryRoutes {

    private QueryRoutes() {
    }

    /** @param publishRooms whether other servers may list this server's published rooms */
    public static FederationRouteTable addTo(FederationRouteTable table, ServerName self, ProfileRepository profiles,
                                             ClientDirectoryApi directory, boolean publishRooms) {
        QueryHandler handler = new QueryHandler(self, profiles, directory);
        PublicRoomsQueryHandler publicRooms = new PublicRoomsQueryHandler(directory, publishRooms);
        return table
                .signed(HttpMethod.GET, "/_matrix/federation/v1/query/profile", handler::profile)
                .signed(HttpMethod.GET, "/_matrix/federation/v1/query/directory", handler::directory)
                .signed(HttpMethod.GET, "/_matrix/federation/v1/publicRooms", publicRooms::list)
                .signed(HttpMethod.POST, "/_matrix/federation/v1/publicRooms", publicRooms::query);
    }
}
