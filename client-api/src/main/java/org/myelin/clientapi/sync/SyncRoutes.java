package org.myelin.clientapi.sync;

import static org.springframework.http.HttpMethod.GET;

import org.myelin.clientapi.http.ClientRouteTable;
import org.myelin.clientapi.http.RouteContributor;
import org.springframework.stereotype.Component;

/** The /sync route. */
@Component
public class SyncRoutes implements RouteContributor {

    private final SyncHandler sync;

    public SyncRoutes(SyncHandler sync) {
        this.sync = sync;
    }

    @Override
    public void register(ClientRouteTable routes) {
        routes.authed(GET, "/_matrix/client/v3/sync", sync::sync);
    }
}
