package org.myelin.federation.server.read;

import java.time.Clock;

import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.server.auth.FederationRouteTable;
import org.myelin.federation.server.transaction.PduChecks;
import org.myelin.room.graph.RoomStore;
import org.springframework.http.HttpMethod;

/** Adds the read endpoints, behind X-Matrix, to the server-server API's table. */
public final class ReadRoutes {

    private ReadRoutes() {
    }

    public static FederationRouteTable addTo(FederationRouteTable table, ServerName self, RoomStore store,
                                             PduChecks checks, Clock clock) {
        EventReadHandler handler = new EventReadHandler(self, store, new ServerReadAccess(store, checks), clock);
        return table
                .signed(HttpMethod.GET, "/_matrix/federation/v1/event/{eventId}", handler::event)
                .signed(HttpMethod.GET, "/_matrix/federation/v1/state/{roomId}", handler::state)
                .signed(HttpMethod.GET, "/_matrix/federation/v1/state_ids/{roomId}", handler::stateIds)
                .signed(HttpMethod.POST, "/_matrix/federation/v1/get_missing_events/{roomId}", handler::missingEvents)
                .signed(HttpMethod.GET, "/_matrix/federation/v1/backfill/{roomId}", handler::backfill)
                .signed(HttpMethod.GET, "/_matrix/federation/v1/event_auth/{roomId}/{eventId}", handler::eventAuth);
    }
}
