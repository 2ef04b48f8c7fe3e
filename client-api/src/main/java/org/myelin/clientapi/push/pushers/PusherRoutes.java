package org.myelin.clientapi.push.pushers;

import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;

import org.myelin.clientapi.http.ClientRouteTable;
import org.myelin.clientapi.http.RouteContributor;
import org.springframework.stereotype.Component;

/** Routes of pushers. */
@Component
public class PusherRoutes implements RouteContributor {

    private final PusherHandler handler;

    public PusherRoutes(PusherHandler handler) {
        this.handler = handler;
    }

    @Override
    public void register(ClientRouteTable routes) {
        routes.authed(GET, "/_matrix/client/v3/pushers", handler::getPushers);
        routes.authed(POST, "/_matrix/client/v3/pushers/set", handler::setPusher);
    }
}
