package org.myelin.federation.server.client;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

import org.myelin.federation.protocol.id.IpLiterals;
import org.myelin.http.outbound.OutboundAddressGuard;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Sends one HTTPS request to a {@link Destination}: looks up the connect host, refuses addresses the outbound
 * guard forbids (checked on the address actually connected to, so DNS cannot rebind it), presents the TLS name as
 * SNI and checks the certificate against it, sends the {@code Host} header, bounds the whole exchange by a
 * timeout and the answer by a size limit. Connections are pooled per remote address.
 */
final class HttpsTransport implements AutoCloseable {

    /**
     * @param timeout          for the whole exchange, connecting included
     * @param maxResponseBytes answers longer than this fail
     */
    record Settings(Duration timeout, long maxResponseBytes, boolean verifyTls) {
    }

    private final Settings settings;
    private final SslContext tls;
    private final OutboundAddressGuard guard;
    private final DnsLookups dns;
    private final ConnectionProvider pool = ConnectionProvider.builder("myelin-federation")
            .maxConnections(512).maxIdleTime(Duration.ofSeconds(60)).maxLifeTime(Duration.ofMinutes(10))
            .pendingAcquireMaxCount(4096).evictInBackground(Duration.ofSeconds(30)).build();

    HttpsTransport(Settings settings, SslContext tls, OutboundAddressGuard guard, DnsLookups dns) {
        this.settings = settings;
        this.tls = tls;
        this.guard = guard;
        this.dns = dns;
    }

    /** The exchange; fails with {@link RemoteServerException} when there is no complete answer. */
    Mono<RawResponse> send(Destination to, String method, String pathAndQuery, Map<String, String> headers, byte[] body) {
        return send(to, method, pathAndQuery, headers, body, settings.maxResponseBytes());
    }

    /** The exchange, with an answer limit of its own instead of the configured one. */
    Mono<RawResponse> send(Destination to, String method, String pathAndQuery, Map<String, String> headers, byte[] body,
                           long maxResponseBytes) {
        return address(to.connectHost())
                .flatMap(address -> exchange(to, address, method, pathAndQuery, headers, body, maxResponseBytes))
                .timeout(settings.timeout(), Mono.error(() -> RemoteServerException.unreachable(
                        method + " " + to.hostHeader() + " timed out after " + settings.timeout().toMillis() + " ms")))
                .onErrorMap(e -> !(e instanceof RemoteServerException),
                        e -> RemoteServerException.unreachable(to.hostHeader() + " could not be reached: " + e));
    }

    private Mono<InetAddress> address(String host) {
        Mono<List<InetAddress>> addresses = IpLiterals.isIpv4(host) || IpLiterals.isIpv6(unbracketed(host))
                ? Mono.fromCallable(() -> List.of(InetAddress.getByName(unbracketed(host))))
                : dns.addresses(host).onErrorMap(e -> DnsLookups.isNoSuchName(e)
                        ? RemoteServerException.noSuchHost(host + " does not exist in DNS")
                        : RemoteServerException.unreachable(host + " has no address: " + e.getMessage()));
        return addresses.flatMap(all -> all.stream().filter(guard::permits).findFirst().map(Mono::just)
                .orElseGet(() -> Mono.error(RemoteServerException.unreachable(host + " resolves only to "
                        + all + ", which the outbound guard refuses (MYELIN_OUTBOUND_ALLOWED_CIDRS)"))));
    }

    private Mono<RawResponse> exchange(Destination to, InetAddress address, String method, String pathAndQuery,
                                       Map<String, String> headers, byte[] body, long maxResponseBytes) {
        InetSocketAddress remote;
        try {
            // The address keeps the TLS name as its host name, so the TLS engine is created for that name.
            remote = new InetSocketAddress(InetAddress.getByAddress(unbracketed(to.tlsName()), address.getAddress()),
                    to.port());
        } catch (UnknownHostException e) {
            return Mono.error(e);
        }
        HttpClient client = HttpClient.create(pool)
                .remoteAddress(() -> remote)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(settings.timeout().toMillis(), 30_000))
                .secure(spec -> spec.sslContext(tls).handlerConfigurator(handler -> checkName(handler, to.tlsName())))
                .followRedirect(false)
                .headers(h -> {
                    headers.forEach(h::set);
                    h.set(HttpHeaderNames.HOST, to.hostHeader());
                });
        HttpClient.RequestSender sender = client.request(HttpMethod.valueOf(method)).uri(pathAndQuery);
        HttpClient.ResponseReceiver<?> receiver = body == null ? sender
                : sender.send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body)));
        return receiver
                .response((response, content) -> {
                    long declared = response.responseHeaders().getInt(HttpHeaderNames.CONTENT_LENGTH, -1);
                    if (declared > maxResponseBytes) {
                        return Mono.error(tooLarge(to, maxResponseBytes));
                    }
                    return content.asByteArray()
                            .reduceWith(ByteArrayOutputStream::new, (out, chunk) -> {
                                if (out.size() + (long) chunk.length > maxResponseBytes) {
                                    throw tooLarge(to, maxResponseBytes);
                                }
                                out.writeBytes(chunk);
                                return out;
                            })
                            .map(out -> new RawResponse(response.status().code(), response.responseHeaders(),
                                    out.toByteArray()));
                })
                .next();
    }

    private static RemoteServerException tooLarge(Destination to, long maxResponseBytes) {
        return RemoteServerException.tooLarge(to.hostHeader() + " answered more than " + maxResponseBytes + " bytes");
    }

    private void checkName(SslHandler handler, String tlsName) {
        SSLEngine engine = handler.engine();
        SSLParameters parameters = engine.getSSLParameters();
        String name = unbracketed(tlsName);
        if (!IpLiterals.isIpv4(name) && !IpLiterals.isIpv6(name)) {
            parameters.setServerNames(List.of(new SNIHostName(name)));
        }
        parameters.setEndpointIdentificationAlgorithm(settings.verifyTls() ? "HTTPS" : null);
        engine.setSSLParameters(parameters);
    }

    private static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    @Override
    public void close() {
        pool.dispose();
    }
}
