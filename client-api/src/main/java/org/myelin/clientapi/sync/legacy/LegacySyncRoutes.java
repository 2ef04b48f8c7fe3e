package org.myelin.clientapi.sync.legacy;

import static org.springframework.http.HttpMethod.GET;

import org.myelin.clientapi.http.ClientRouteTable;
import org.myelin.clientapi.http.RouteContributor;
import org.springframework.stereotype.Component;

/** Routes of the deprecated /events, /events/{eventId}, /initialSync and /rooms/{roomId}/initialSync. */
@Component
public class LegacySyncRoutes implements RouteContributor {

    private static final String V3 = "/_matrix/client/v3";

    private final LegacySyncHandler handler;

    public LegacySyncRoutes(LegacySyncHandler handler) {
        this.handler = handler;
    }

    @Override
    public void register(ClientRouteTable routes) {
        routes.authed(GET, V3 + "/events", handler::events)
                .authed(GET, V3 + "/events/{eventId}", handler::event)
                .authed(GET, V3 + "/initialSync", handler::initialSync)
                .authed(GET, V3 + "/rooms/{roomId}/initialSync", handler::roomInitialSync);
    }
}
