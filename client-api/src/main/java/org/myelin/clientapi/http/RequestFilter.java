package org.myelin.clientapi.http;

import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import reactor.core.publisher.Mono;

/**
 * Runs first on every request: assigns the request id, adds the CORS headers the spec requires (so browser
 * clients work), answers CORS pre-flights, refuses bodies whose declared length is over the limit and URLs holding
 * an encoded NUL (PostgreSQL cannot store it, so it could only fail later as a 500), and logs one line per request
 * at debug (the path only: query strings can carry access tokens).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestFilter implements WebFilter {

    private static final Logger LOG = LoggerFactory.getLogger("org.myelin.requests");

    private final long maxRequestBytes;

    public RequestFilter(ClientApiSettings settings) {
        this.maxRequestBytes = settings.maxRequestBytes();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String id = RequestIds.next();
        long started = System.nanoTime();
        exchange.getAttributes().put(RequestIds.ATTRIBUTE, id);
        HttpHeaders headers = exchange.getResponse().getHeaders();
        headers.set(RequestIds.HEADER, id);
        headers.set("Access-Control-Allow-Origin", "*");
        headers.set("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS");
        headers.set("Access-Control-Allow-Headers", "X-Requested-With, Content-Type, Authorization");
        ServerHttpRequest request = exchange.getRequest();
        if (HttpMethod.OPTIONS.equals(request.getMethod())) {
            exchange.getResponse().setStatusCode(HttpStatus.NO_CONTENT);
            return exchange.getResponse().setComplete();
        }
        if (request.getHeaders().getContentLength() > maxRequestBytes) {
            return Mono.error(new MatrixException(ErrCode.M_TOO_LARGE,
                    "Request body is larger than " + maxRequestBytes + " bytes"));
        }
        String rawPath = request.getURI().getRawPath();
        String rawQuery = request.getURI().getRawQuery();
        if (hasEncodedNul(rawPath) || hasEncodedNul(rawQuery)) {
            return Mono.error(MatrixException.invalidParam("URL must not contain %00"));
        }
        return chain.filter(exchange).doFinally(signal -> {
            if (LOG.isDebugEnabled()) {
                LOG.debug("{} {} -> {} in {} ms [{}]", request.getMethod(), request.getPath().value(),
                        exchange.getResponse().getStatusCode(), (System.nanoTime() - started) / 1_000_000, id);
            }
        });
    }

    private static boolean hasEncodedNul(String raw) {
        return raw != null && raw.contains("%00");
    }
}
