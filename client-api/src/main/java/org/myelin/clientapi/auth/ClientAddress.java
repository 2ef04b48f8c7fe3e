package org.myelin.clientapi.auth;

import java.net.InetSocketAddress;

import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * The client's address, for rate limits and device last-seen data. Behind a reverse proxy, set
 * {@code server.forward-headers-strategy=native} so this is the X-Forwarded-For address.
 */
public final class ClientAddress {

    private ClientAddress() {
    }

    public static String of(ServerRequest request) {
        return request.remoteAddress().map(InetSocketAddress::getAddress).map(a -> a.getHostAddress())
                .orElse("unknown");
    }
}
