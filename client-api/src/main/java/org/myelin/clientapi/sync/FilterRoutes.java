package org.myelin.clientapi.sync;

import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;

import org.myelin.clientapi.http.ClientRouteTable;
import org.myelin.clientapi.http.RouteContributor;
import org.springframework.stereotype.Component;

/** Routes of the filter API. */
@Component
public class FilterRoutes implements RouteContributor {

    private final FilterHandler filters;

    public FilterRoutes(FilterHandler filters) {
        this.filters = filters;
    }

    @Override
    public void register(ClientRouteTable routes) {
        routes.authed(POST, "/_matrix/client/v3/user/{userId}/filter", filters::defineFilter);
        routes.authed(GET, "/_matrix/client/v3/user/{userId}/filter/{filterId}", filters::getFilter);
    }
}
