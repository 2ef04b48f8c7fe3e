package org.myelin.clientapi.http;

import java.util.List;

import org.myelin.clientapi.auth.AccessTokenAuth;
import org.myelin.http.ApiRoutes;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Builds the Client-Server API's routes from every {@link RouteContributor}; the shared router adds the fallback. */
@Configuration(proxyBeanMethods = false)
public class ClientRouter {

    @Bean
    ApiRoutes clientRoutes(List<RouteContributor> contributors, AccessTokenAuth auth) {
        ClientRouteTable table = new ClientRouteTable(auth);
        contributors.forEach(c -> c.register(table));
        return table.build();
    }
}
