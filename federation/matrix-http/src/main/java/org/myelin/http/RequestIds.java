package org.myelin.http;

import java.util.concurrent.ThreadLocalRandom;

import org.springframework.web.server.ServerWebExchange;

/** Short per-request ids, carried as an exchange attribute and echoed in the X-Request-Id response header. */
public final class RequestIds {

    public static final String ATTRIBUTE = "myelin.requestId";
    public static final String HEADER = "X-Request-Id";

    private RequestIds() {
    }

    static String next() {
        return Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    }

    /** The id of this exchange, or "-" if the request filter did not run. */
    public static String of(ServerWebExchange exchange) {
        Object id = exchange.getAttribute(ATTRIBUTE);
        return id == null ? "-" : id.toString();
    }
}
