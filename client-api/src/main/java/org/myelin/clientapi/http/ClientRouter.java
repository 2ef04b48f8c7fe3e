package org.myelin.clientapi.http;

import java.util.List;

import org.myelin.clientapi.auth.AccessTokenAuth;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/** Builds the one router of the HTTP API from every {@link RouteContributor}, ending in the 404/405 fallback. */
@Configuration(proxyBeanMethods = false)
public class ClientRouter {

    @Bean
    RouterFunction<ServerResponse> matrixRoutes(List<RouteContributor> contributors, AccessTokenAuth auth) {
        RouteTable table = new RouteTable(auth);
        contributors.forEach(c -> c.register(table));
        return table.build();
    }
}
