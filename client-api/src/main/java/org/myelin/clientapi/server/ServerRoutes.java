package org.myelin.clientapi.server;

import static org.springframework.http.HttpMethod.GET;

import org.myelin.clientapi.http.ClientRouteTable;
import org.myelin.clientapi.http.RouteContributor;
import org.springframework.stereotype.Component;

/** Routes of server discovery and capabilities. */
@Component
public class ServerRoutes implements RouteContributor {

    private final ServerInfoHandler info;

    public ServerRoutes(ServerInfoHandler info) {
        this.info = info;
    }

    @Override
    public void register(ClientRouteTable routes) {
        routes.route(GET, "/_matrix/client/versions", info::versions)
                .route(GET, "/.well-known/matrix/client", info::wellKnown)
                .authed(GET, "/_matrix/client/v3/capabilities", info::capabilities);
    }
}
