package org.myelin.federation.server.membership;

import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.server.auth.FederationRouteTable;
import org.myelin.federation.server.transaction.PduChecks;
import org.myelin.room.graph.RoomEventService;
import org.myelin.room.graph.RoomStore;
import org.springframework.http.HttpMethod;

/** Adds the resident server's join routes, behind X-Matrix, to the server-server API's table. */
public final class JoinRoutes {

    private JoinRoutes() {
    }

    public static FederationRouteTable addTo(FederationRouteTable table, ServerName self, RoomStore store,
                                             RoomEventService events, PduChecks checks) {
        JoinHandler handler = new JoinHandler(self, store, events, checks);
        return table
                .signed(HttpMethod.GET, "/_matrix/federation/v1/make_join/{roomId}/{userId}", handler::makeJoin)
                .signed(HttpMethod.PUT, "/_matrix/federation/v1/send_join/{roomId}/{eventId}", handler::sendJoinV1)
                .signed(HttpMethod.PUT, "/_matrix/federation/v2/send_join/{roomId}/{eventId}", handler::sendJoinV2);
    }
}
