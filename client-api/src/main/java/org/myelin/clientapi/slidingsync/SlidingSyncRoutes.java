package org.myelin.clientapi.slidingsync;

import static org.springframework.http.HttpMethod.POST;

import org.myelin.clientapi.http.ClientRouteTable;
import org.myelin.clientapi.http.RouteContributor;
import org.springframework.stereotype.Component;

/** The sliding sync route. */
@Component
public class SlidingSyncRoutes implements RouteContributor {

    private final SlidingSyncHandler handler;

    public SlidingSyncRoutes(SlidingSyncHandler handler) {
        this.handler = handler;
    }

    @Override
    public void register(ClientRouteTable routes) {
        routes.authed(POST, SlidingSyncHandler.PATH, handler::sync);
    }
}
