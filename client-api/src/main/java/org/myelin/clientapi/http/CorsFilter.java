package org.myelin.clientapi.http;

import org.myelin.http.RequestIdFilter;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import reactor.core.publisher.Mono;

/**
 * Adds the CORS headers the Client-Server API requires (so browser clients work) and answers CORS pre-flights.
 * Only browsers need them, so the server-server paths ({@code /_matrix/federation/}, {@code /_matrix/key/}) get
 * neither: there an OPTIONS request is routed like any other. Runs after the request id and before the request
 * limits, so that their errors carry the CORS headers.
 */
@Component
@Order(RequestIdFilter.ORDER + 1)
public class CorsFilter implements WebFilter {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (path.startsWith("/_matrix/federation/") || path.startsWith("/_matrix/key/")) {
            return chain.filter(exchange);
        }
        HttpHeaders headers = exchange.getResponse().getHeaders();
        headers.set("Access-Control-Allow-Origin", "*");
        headers.set("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS");
        headers.set("Access-Control-Allow-Headers", "X-Requested-With, Content-Type, Authorization");
        if (HttpMethod.OPTIONS.equals(exchange.getRequest().getMethod())) {
            exchange.getResponse().setStatusCode(HttpStatus.NO_CONTENT);
            return exchange.getResponse().setComplete();
        }
        return chain.filter(exchange);
    }
}
