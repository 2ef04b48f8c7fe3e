package org.myelin.clientapi.directory;

import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.http.HttpMethod.PUT;

import org.myelin.clientapi.http.ClientRouteTable;
import org.myelin.clientapi.http.RouteContributor;
import org.springframework.stereotype.Component;

/** Routes of room aliases, the published room directory and room upgrades. */
@Component
public class DirectoryRoutes implements RouteContributor {

    private static final String V3 = "/_matrix/client/v3";

    private final AliasHandler aliases;
    private final PublicRoomsHandler publicRooms;
    private final RoomUpgradeHandler upgrades;

    public DirectoryRoutes(AliasHandler aliases, PublicRoomsHandler publicRooms, RoomUpgradeHandler upgrades) {
        this.aliases = aliases;
        this.publicRooms = publicRooms;
        this.upgrades = upgrades;
    }

    @Override
    public void register(ClientRouteTable routes) {
        routes.authed(PUT, V3 + "/directory/room/{roomAlias}", aliases::createAlias)
                .route(GET, V3 + "/directory/room/{roomAlias}", aliases::getAlias)
                .authed(DELETE, V3 + "/directory/room/{roomAlias}", aliases::deleteAlias)
                .authed(GET, V3 + "/rooms/{roomId}/aliases", aliases::localAliases)
                .route(GET, V3 + "/directory/list/room/{roomId}", publicRooms::getVisibility)
                .authed(PUT, V3 + "/directory/list/room/{roomId}", publicRooms::setVisibility)
                .route(GET, V3 + "/publicRooms", publicRooms::getPublicRooms)
                .authed(POST, V3 + "/publicRooms", publicRooms::queryPublicRooms)
                .authed(POST, V3 + "/rooms/{roomId}/upgrade", upgrades::upgradeRoom);
    }
}
