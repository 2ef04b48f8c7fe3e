package org.myelin.http.outbound;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * GETs of arbitrary http(s) URLs on behalf of the server (URL previews, media redirects), and POSTs of JSON to
 * push gateways: the host is resolved
 * here and only an address the {@link OutboundAddressGuard} permits is connected to (so DNS cannot rebind it), on
 * the first request and again on every redirect; redirects are followed up to a limit; the answer is bounded in
 * size and the whole chain in time. Certificates are checked against the JDK's trusted CAs and the URL's host.
 */
public final class GuardedHttpClient implements AutoCloseable {

    /**
     * @param timeout      for the whole exchange, every redirect included
     * @param maxRedirects redirects followed before giving up
     * @param userAgent    the {@code User-Agent} sent
     */
    public record Settings(Duration timeout, int maxRedirects, String userAgent) {
    }

    /** The final answer: the URL it came from (after redirects), its status, headers and body. */
    public record Response(URI uri, int status, HttpHeaders headers, byte[] body) {
    }

    private static final List<Integer> REDIRECTS = List.of(301, 302, 303, 307, 308);

    private final Settings settings;
    private final OutboundAddressGuard guard;
    private final SslContext tls;
    private final ConnectionProvider pool = ConnectionProvider.builder("myelin-outbound")
            .maxConnections(64).maxIdleTime(Duration.ofSeconds(30)).pendingAcquireMaxCount(256)
            .evictInBackground(Duration.ofSeconds(30)).build();

    public GuardedHttpClient(Settings settings, OutboundAddressGuard guard) {
        this.settings = settings;
        this.guard = guard;
        try {
            this.tls = SslContextBuilder.forClient().build();
        } catch (SSLException e) {
            throw new IllegalStateException("No TLS client context", e);
        }
    }

    /** GETs {@code url}, following redirects; an answer longer than {@code maxBytes} fails with TOO_LARGE. */
    public Mono<Response> get(URI url, long maxBytes, Map<String, String> headers) {
        return hop(url, maxBytes, headers, settings.maxRedirects())
                .timeout(settings.timeout(), Mono.error(() -> new OutboundException(OutboundException.Reason.FAILED,
                        "GET " + url.getHost() + " timed out after " + settings.timeout().toMillis() + " ms")))
                .onErrorMap(e -> !(e instanceof OutboundException),
                        e -> new OutboundException(OutboundException.Reason.FAILED,
                                url.getHost() + " could not be fetched: " + e));
    }

    /**
     * POSTs {@code json} to {@code url} as {@code application/json}; redirects are not followed (the answer is
     * returned as it is), and an answer longer than {@code maxBytes} fails with TOO_LARGE.
     */
    public Mono<Response> postJson(URI url, byte[] json, long maxBytes) {
        return once(url, maxBytes, Map.of("Content-Type", "application/json",
                "Content-Length", String.valueOf(json.length)), json)
                .timeout(settings.timeout(), Mono.error(() -> new OutboundException(OutboundException.Reason.FAILED,
                        "POST " + url.getHost() + " timed out after " + settings.timeout().toMillis() + " ms")))
                .onErrorMap(e -> !(e instanceof OutboundException),
                        e -> new OutboundException(OutboundException.Reason.FAILED,
                                url.getHost() + " could not be reached: " + e));
    }

    private Mono<Response> once(URI url, long maxBytes, Map<String, String> headers, byte[] body) {
        return Mono.defer(() -> {
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null || url.getHost().isEmpty()) {
                return Mono.error(new OutboundException(OutboundException.Reason.BAD_URL,
                        "Not an absolute http(s) URL: " + url));
            }
            return address(url.getHost()).flatMap(address -> exchange(url, scheme, address, maxBytes, headers, body));
        });
    }

    private Mono<Response> hop(URI url, long maxBytes, Map<String, String> headers, int redirectsLeft) {
        return once(url, maxBytes, headers, null).flatMap(response -> {
            if (!REDIRECTS.contains(response.status())) {
                return Mono.just(response);
            }
            String location = response.headers().get(HttpHeaderNames.LOCATION);
            if (location == null || redirectsLeft == 0) {
                return Mono.error(new OutboundException(OutboundException.Reason.BAD_REDIRECT, location == null
                        ? url.getHost() + " redirected without a Location"
                        : "More than " + settings.maxRedirects() + " redirects"));
            }
            URI next;
            try {
                next = url.resolve(location.strip());
            } catch (IllegalArgumentException e) {
                return Mono.error(new OutboundException(OutboundException.Reason.BAD_REDIRECT,
                        "Unusable redirect Location: " + location));
            }
            return hop(next, maxBytes, headers, redirectsLeft - 1);
        });
    }

    /** A permitted address of {@code host}; an IP literal is judged as it is. */
    private Mono<InetAddress> address(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean literal = isIpLiteral(bare);
        return Mono.fromCallable(() -> Arrays.asList(InetAddress.getAllByName(bare)))
                .subscribeOn(Schedulers.boundedElastic())
                .onErrorMap(UnknownHostException.class, e -> new OutboundException(
                        OutboundException.Reason.NO_ADDRESS, host + " has no address"))
                .flatMap(all -> all.stream().filter(guard::permits).findFirst().map(Mono::just)
                        .orElseGet(() -> Mono.error(literal
                                ? new OutboundException(OutboundException.Reason.BLOCKED_ADDRESS, host
                                        + " is an address the outbound guard refuses (MYELIN_OUTBOUND_ALLOWED_CIDRS)")
                                : new OutboundException(OutboundException.Reason.NO_ADDRESS, host + " resolves only"
                                        + " to addresses the outbound guard refuses (MYELIN_OUTBOUND_ALLOWED_CIDRS)"))));
    }

    private Mono<Response> exchange(URI url, String scheme, InetAddress address, long maxBytes,
                                    Map<String, String> headers, byte[] body) {
        boolean https = scheme.equals("https");
        int port = url.getPort() != -1 ? url.getPort() : https ? 443 : 80;
        String host = url.getHost();
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetSocketAddress remote;
        try {
            // The address keeps the URL's host as its name, so TLS is set up (SNI, certificate check) for that name.
            remote = new InetSocketAddress(InetAddress.getByAddress(bare, address.getAddress()), port);
        } catch (UnknownHostException e) {
            return Mono.error(e);
        }
        String hostHeader = url.getPort() == -1 ? host : host + ":" + port;
        HttpClient client = HttpClient.create(pool)
                .remoteAddress(() -> remote)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(settings.timeout().toMillis(), 30_000))
                .followRedirect(false)
                .headers(h -> {
                    headers.forEach(h::set);
                    h.set(HttpHeaderNames.HOST, hostHeader);
                    h.set(HttpHeaderNames.USER_AGENT, settings.userAgent());
                });
        if (https) {
            client = client.secure(spec -> spec.sslContext(tls).handlerConfigurator(h -> checkName(h, bare)));
        }
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        String pathAndQuery = url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
        HttpClient.ResponseReceiver<?> request = body == null ? client.get().uri(pathAndQuery)
                : client.post().uri(pathAndQuery).send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body)));
        return request
                .response((response, content) -> {
                    long declared = response.responseHeaders().getInt(HttpHeaderNames.CONTENT_LENGTH, -1);
                    if (declared > maxBytes) {
                        return Mono.error(tooLarge(host, maxBytes));
                    }
                    return content.asByteArray()
                            .reduceWith(ByteArrayOutputStream::new, (out, chunk) -> {
                                if (out.size() + (long) chunk.length > maxBytes) {
                                    throw tooLarge(host, maxBytes);
                                }
                                out.writeBytes(chunk);
                                return out;
                            })
                            .map(out -> new Response(url, response.status().code(), response.responseHeaders(),
                                    out.toByteArray()));
                })
                .next();
    }

    private static OutboundException tooLarge(String host, long maxBytes) {
        return new OutboundException(OutboundException.Reason.TOO_LARGE, host + " answered more than " + maxBytes
                + " bytes");
    }

    private static void checkName(SslHandler handler, String host) {
        SSLEngine engine = handler.engine();
        SSLParameters parameters = engine.getSSLParameters();
        if (!isIpLiteral(host)) {
            parameters.setServerNames(List.of(new SNIHostName(host)));
        }
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(parameters);
    }

    private static boolean isIpLiteral(String host) {
        return host.contains(":") || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    }

    @Override
    public void close() {
        pool.dispose();
    }
}
