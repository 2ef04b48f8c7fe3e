package org.myelin.federation.server.space;

import org.myelin.federation.server.auth.FederationRouteTable;
import org.myelin.federation.server.transaction.PduChecks;
import org.myelin.room.graph.SpaceSummaries;
import org.springframework.http.HttpMethod;

/** Adds the space hierarchy endpoint, behind X-Matrix, to the server-server API's table. */
public final class SpaceRoutes {

    private SpaceRoutes() {
    }

    public static FederationRouteTable addTo(FederationRouteTable table, SpaceSummaries summaries, PduChecks checks) {
        HierarchyHandler handler = new HierarchyHandler(summaries, checks);
        return table.signed(HttpMethod.GET, "/_matrix/federation/v1/hierarchy/{roomId}", handler::hierarchy);
    }
}
