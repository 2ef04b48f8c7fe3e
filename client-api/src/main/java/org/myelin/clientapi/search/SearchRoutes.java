package org.myelin.clientapi.search;

import static org.springframework.http.HttpMethod.POST;

import org.myelin.clientapi.http.ClientRouteTable;
import org.myelin.clientapi.http.RouteContributor;
import org.springframework.stereotype.Component;

/** Routes of server-side search and the user directory. */
@Component
public class SearchRoutes implements RouteContributor {

    private static final String V3 = "/_matrix/client/v3";

    private final SearchHandler search;
    private final UserDirectoryHandler directory;

    public SearchRoutes(SearchHandler search, UserDirectoryHandler directory) {
        this.search = search;
        this.directory = directory;
    }

    @Override
    public void register(ClientRouteTable routes) {
        routes.authed(POST, V3 + "/search", search::search)
                .authed(POST, V3 + "/user_directory/search", directory::search);
    }
}
