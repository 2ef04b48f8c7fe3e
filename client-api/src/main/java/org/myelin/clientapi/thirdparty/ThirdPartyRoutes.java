package org.myelin.clientapi.thirdparty;

import static org.springframework.http.HttpMethod.GET;

import org.myelin.clientapi.http.ClientRouteTable;
import org.myelin.clientapi.http.RouteContributor;
import org.springframework.stereotype.Component;

/** Routes of the third-party lookups. */
@Component
public class ThirdPartyRoutes implements RouteContributor {

    private static final String THIRDPARTY = "/_matrix/client/v3/thirdparty";

    private final ThirdPartyHandler handler;

    public ThirdPartyRoutes(ThirdPartyHandler handler) {
        this.handler = handler;
    }

    @Override
    public void register(ClientRouteTable routes) {
        routes.authed(GET, THIRDPARTY + "/protocols", handler::protocols)
                .authed(GET, THIRDPARTY + "/protocol/{protocol}", handler::byProtocol)
                .authed(GET, THIRDPARTY + "/location/{protocol}", handler::byProtocol)
                .authed(GET, THIRDPARTY + "/user/{protocol}", handler::byProtocol)
                .authed(GET, THIRDPARTY + "/location", handler::locationByAlias)
                .authed(GET, THIRDPARTY + "/user", handler::userByUserId);
    }
}
