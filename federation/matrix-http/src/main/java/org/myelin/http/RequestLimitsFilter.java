package org.myelin.http;

import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.springframework.core.annotation.Order;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import reactor.core.publisher.Mono;

/**
 * Refuses, before any route runs, bodies whose declared length is over {@link HttpLimits#maxRequestBytes()}
 * (M_TOO_LARGE) and URLs holding an encoded NUL (PostgreSQL cannot store it, so it could only fail later as a
 * 500). It runs after the request id and after any API's own header filters (such as the client API's CORS), so
 * that these errors carry their headers.
 */
@Component
@Order(RequestLimitsFilter.ORDER)
public class RequestLimitsFilter implements WebFilter {

    /** After {@link RequestIdFilter} and room for one API-specific filter between them. */
    public static final int ORDER = RequestIdFilter.ORDER + 10;

    private final long maxRequestBytes;

    public RequestLimitsFilter(HttpLimits limits) {
        this.maxRequestBytes = limits.maxRequestBytes();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        if (request.getHeaders().getContentLength() > maxRequestBytes) {
            return Mono.error(new MatrixException(ErrCode.M_TOO_LARGE,
                    "Request body is larger than " + maxRequestBytes + " bytes"));
        }
        if (hasEncodedNul(request.getURI().getRawPath()) || hasEncodedNul(request.getURI().getRawQuery())) {
            return Mono.error(MatrixException.invalidParam("URL must not contain %00"));
        }
        return chain.filter(exchange);
    }

    private static boolean hasEncodedNul(String raw) {
        return raw != null && raw.contains("%00");
    }
}
