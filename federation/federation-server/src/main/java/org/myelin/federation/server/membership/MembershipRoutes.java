package org.myelin.federation.server.membership;

import org.myelin.federation.protocol.event.EventSigning;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.server.auth.FederationRouteTable;
import org.myelin.federation.server.transaction.PduChecks;
import org.myelin.room.graph.RoomEventService;
import org.myelin.room.graph.RoomStore;
import org.springframework.http.HttpMethod;

/**
 * Adds the join and leave routes (this server as resident) and the invite routes (this server's users invited),
 * behind X-Matrix, to the server-server API's table.
 */
public final class MembershipRoutes {

    private MembershipRoutes() {
    }

    public static FederationRouteTable addTo(FederationRouteTable table, ServerName self, RoomStore store,
                                             RoomEventService events, PduChecks checks, EventSigning signing) {
        JoinHandler handler = new JoinHandler(self, store, events, checks, signing);
        InviteHandler invites = new InviteHandler(self, store, events, checks, signing);
        return table
                .signed(HttpMethod.PUT, "/_matrix/federation/v1/invite/{roomId}/{eventId}", invites::inviteV1)
                .signed(HttpMethod.PUT, "/_matrix/federation/v2/invite/{roomId}/{eventId}", invites::inviteV2)
                .signed(HttpMethod.GET, "/_matrix/federation/v1/make_join/{roomId}/{userId}", handler::makeJoin)
                .signed(HttpMethod.GET, "/_matrix/federation/v1/make_leave/{roomId}/{userId}", handler::makeLeave)
                .signed(HttpMethod.GET, "/_matrix/federation/v1/make_knock/{roomId}/{userId}", handler::makeKnock)
                .signed(HttpMethod.PUT, "/_matrix/federation/v1/send_knock/{roomId}/{eventId}", handler::sendKnock)
                .signed(HttpMethod.PUT, "/_matrix/federation/v1/send_leave/{roomId}/{eventId}", handler::sendLeaveV1)
                .signed(HttpMethod.PUT, "/_matrix/federation/v2/send_leave/{roomId}/{eventId}", handler::sendLeaveV2)
                .signed(HttpMethod.PUT, "/_matrix/federation/v1/send_join/{roomId}/{eventId}", handler::sendJoinV1)
                .signed(HttpMethod.PUT, "/_matrix/federation/v2/send_join/{roomId}/{eventId}", handler::sendJoinV2);
    }
}
