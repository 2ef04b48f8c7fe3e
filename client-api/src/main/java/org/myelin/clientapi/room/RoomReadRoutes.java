package org.myelin.clientapi.room;

import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.http.HttpMethod.PUT;

import org.myelin.clientapi.http.ClientRouteTable;
import org.myelin.clientapi.http.RouteContributor;
import org.springframework.stereotype.Component;

/**
 * Routes of redactions, reports (of events, rooms and users) and the reads around single events (context,
 * relations, threads, timestamps).
 */
@Component
public class RoomReadRoutes implements RouteContributor {

    private static final String V3_ROOM = "/_matrix/client/v3/rooms/{roomId}";
    private static final String V1_ROOM = "/_matrix/client/v1/rooms/{roomId}";

    private final RedactionHandler redactions;
    private final ReportHandler reports;
    private final EventContextHandler reads;

    public RoomReadRoutes(RedactionHandler redactions, ReportHandler reports, EventContextHandler reads) {
        this.redactions = redactions;
        this.reports = reports;
        this.reads = reads;
    }

    @Override
    public void register(ClientRouteTable routes) {
        routes.authed(PUT, V3_ROOM + "/redact/{eventId}/{txnId}", redactions::redact)
                .authed(POST, V3_ROOM + "/report/{eventId}", reports::reportEvent)
                .authed(POST, V3_ROOM + "/report", reports::reportRoom)
                .authed(POST, "/_matrix/client/v3/users/{userId}/report", reports::reportUser)
                .authed(GET, V3_ROOM + "/context/{eventId}", reads::context)
                .authed(GET, V1_ROOM + "/relations/{eventId}", reads::relations)
                .authed(GET, V1_ROOM + "/relations/{eventId}/{relType}", reads::relations)
                .authed(GET, V1_ROOM + "/relations/{eventId}/{relType}/{eventType}", reads::relations)
                .authed(GET, V1_ROOM + "/threads", reads::threads)
                .authed(GET, V1_ROOM + "/timestamp_to_event", reads::timestampToEvent);
    }
}
