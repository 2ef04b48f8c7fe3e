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
 * Refuses, before any route runs, bodies whose declared length is over the path's limit
 * ({@link HttpLimits#maxBytesFor}, M_TOO_LARGE) and URLs holding an encoded NUL (PostgreSQL cannot store it, so it could only fail later as a
 * 500). It runs after the request id and after any API's own header filters (such as the client API's CORS), so
 * that these errors carry their headers.
 */
@Component
@Order(RequestLimitsFilter.ORDER)
public class RequestLimitsFilter implements WebFilter {

    /** After {@link RequestIdFilter} and room for one API-specific filter between them. */
    public static final int ORDER = RequestIdFilter.ORDER + 10;

    private final HttpLimits limits;

    public RequestLimitsFilter(HttpLimits limits) {
        this.limits = limits;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        long maxBytes = limits.maxBytesFor(request.getPath().pathWithinApplication().value());
        if (request.getHeaders().getContentLength() > maxBytes) {
            return Mono.error(new MatrixException(ErrCode.M_TOO_LARGE,
                    "Request body is larger than " + maxBytes + " bytes"));
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
