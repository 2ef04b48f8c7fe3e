package org.myelin.clientapi.space;

import static org.springframework.http.HttpMethod.GET;

import org.myelin.clientapi.http.ClientRouteTable;
import org.myelin.clientapi.http.RouteContributor;
import org.springframework.stereotype.Component;

/** Routes of the space hierarchy and the room summary (which also answers without an access token). */
@Component
public class SpaceRoutes implements RouteContributor {

    private final SpaceHandler spaces;

    public SpaceRoutes(SpaceHandler spaces) {
        this.spaces = spaces;
    }

    @Override
    public void register(ClientRouteTable routes) {
        routes.authed(GET, "/_matrix/client/v1/rooms/{roomId}/hierarchy", spaces::hierarchy)
                .optionallyAuthed(GET, "/_matrix/client/v1/room_summary/{roomIdOrAlias}", spaces::summary)
                .optionallyAuthed(GET, "/_matrix/client/unstable/im.nheko.summary/summary/{roomIdOrAlias}",
                        spaces::summary);
    }
}
