package org.myelin.http;

import java.util.List;

import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.PathContainer;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.util.pattern.PathPattern;

import reactor.core.publisher.Mono;

/**
 * The one router of the HTTP server: every API's {@link ApiRoutes} (client, federation, ...), then the single
 * fallback, which answers 405 M_UNRECOGNIZED for a known path with the wrong method and 404 M_UNRECOGNIZED for
 * anything else, whichever API the path belongs to.
 */
@Configuration(proxyBeanMethods = false)
public class MatrixRouter {

    @Bean
    RouterFunction<ServerResponse> matrixRoutes(List<ApiRoutes> apis) {
        List<PathPattern> known = apis.stream().flatMap(api -> api.paths().stream()).toList();
        RouterFunctions.Builder builder = RouterFunctions.route();
        apis.forEach(api -> builder.add(api.router()));
        return builder.route(RequestPredicates.all(), request -> {
            PathContainer path = request.requestPath().pathWithinApplication();
            boolean pathKnown = known.stream().anyMatch(p -> p.matches(path));
            return Mono.error(new MatrixException(ErrCode.M_UNRECOGNIZED, pathKnown ? 405 : 404,
                    "Unrecognized request"));
        }).build();
    }
}
