package org.myelin.clientapi.voip;

import static org.springframework.http.HttpMethod.GET;

import org.myelin.clientapi.http.ClientRouteTable;
import org.myelin.clientapi.http.RouteContributor;
import org.springframework.stereotype.Component;

/** Routes of the VoIP module. */
@Component
public class VoipRoutes implements RouteContributor {

    private final VoipHandler voip;

    public VoipRoutes(VoipHandler voip) {
        this.voip = voip;
    }

    @Override
    public void register(ClientRouteTable routes) {
        routes.authed(GET, "/_matrix/client/v3/voip/turnServer", voip::getTurnServer);
    }
}
