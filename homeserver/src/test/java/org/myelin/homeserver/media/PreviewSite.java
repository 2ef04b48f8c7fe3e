package org.myelin.homeserver.media;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

/**
 * A web site on a loopback address for URL preview tests: fixed answers per path (status, headers, body), and a
 * count of the requests each path received.
 */
final class PreviewSite implements AutoCloseable {

    /** One path's answer. */
    record Page(int status, Map<String, String> headers, byte[] body) {
    }

    private final HttpServer server;
    private final Map<String, Page> pages = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

    PreviewSite(String address) throws IOException {
        server = HttpServer.create(new InetSocketAddress(address, 0), 16);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            Page page = pages.getOrDefault(path, new Page(404, Map.of(), new byte[0]));
            page.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            exchange.sendResponseHeaders(page.status(), page.body().length == 0 ? -1 : page.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(page.body());
            }
        });
        server.start();
    }

    PreviewSite page(String path, String contentType, byte[] body) {
        pages.put(path, new Page(200, Map.of("Content-Type", contentType), body));
        return this;
    }

    PreviewSite redirect(String path, String location) {
        pages.put(path, new Page(302, Map.of("Location", location), new byte[0]));
        return this;
    }

    int port() {
        return server.getAddress().getPort();
    }

    int hits(String path) {
        AtomicInteger n = hits.get(path);
        return n == null ? 0 : n.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
