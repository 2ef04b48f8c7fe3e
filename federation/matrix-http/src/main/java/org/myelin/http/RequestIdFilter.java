package org.myelin.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import reactor.core.publisher.Mono;

/**
 * Runs first on every request of every API: assigns the request id (exchange attribute and {@code X-Request-Id}
 * response header) and logs one line per request at debug (the path only: query strings can carry access tokens).
 */
@Component
@Order(RequestIdFilter.ORDER)
public class RequestIdFilter implements WebFilter {

    /** The first filter. */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE;

    private static final Logger LOG = LoggerFactory.getLogger("org.myelin.requests");

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String id = RequestIds.next();
        long started = System.nanoTime();
        exchange.getAttributes().put(RequestIds.ATTRIBUTE, id);
        exchange.getResponse().getHeaders().set(RequestIds.HEADER, id);
        ServerHttpRequest request = exchange.getRequest();
        return chain.filter(exchange).doFinally(signal -> {
            if (LOG.isDebugEnabled()) {
                LOG.debug("{} {} -> {} in {} ms [{}]", request.getMethod(), request.getPath().value(),
                        exchange.getResponse().getStatusCode(), (System.nanoTime() - started) / 1_000_000, id);
            }
        });
    }
}
