package org.myelin.federation.server.read;

import java.time.Clock;

import org.myelin.db.room.RelationRepository;
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
        ServerReadAccess access = new ServerReadAccess(store, checks);
        EventReadHandler handler = new EventReadHandler(self, store, access, clock);
        TimestampHandler timestamps = new TimestampHandler(new RelationRepository(store.db()), access);
        return table
                .signed(HttpMethod.GET, "/_matrix/federation/v1/event/{eventId}", handler::event)
                .signed(HttpMethod.GET, "/_matrix/federation/v1/state/{roomId}", handler::state)
                .signed(HttpMethod.GET, "/_matrix/federation/v1/state_ids/{roomId}", handler::stateIds)
                .signed(HttpMethod.POST, "/_matrix/federation/v1/get_missing_events/{roomId}", handler::missingEvents)
                .signed(HttpMethod.GET, "/_matrix/federation/v1/backfill/{roomId}", handler::backfill)
                .signed(HttpMethod.GET, "/_matrix/federation/v1/event_auth/{roomId}/{eventId}", handler::eventAuth)
                .signed(HttpMethod.GET, "/_matrix/federation/v1/timestamp_to_event/{roomId}", timestamps::closest);
    }
}
