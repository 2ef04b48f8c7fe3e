package org.myelin.http;

import java.util.List;

import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.util.pattern.PathPattern;

/**
 * One API's routes, as a bean: {@link MatrixRouter} puts every API's routes (in bean order) before the one
 * fallback, which needs {@code paths} to tell a wrong method (405) from an unknown path (404).
 *
 * @param router the API's routes, without a fallback
 * @param paths  the path patterns of those routes
 */
public record ApiRoutes(RouterFunction<ServerResponse> router, List<PathPattern> paths) {

    public ApiRoutes {
        paths = List.copyOf(paths);
    }
}
