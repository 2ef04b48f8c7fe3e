package org.myelin.federation.server.client;

import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.myelin.federation.protocol.crypto.SigningKey;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.json.CanonicalJson;
import org.myelin.federation.protocol.xmatrix.XMatrixAuthorization;
import org.myelin.federation.protocol.xmatrix.XMatrixRequest;
import org.myelin.http.outbound.OutboundAddressGuard;

import io.netty.handler.codec.http.HttpHeaders;

import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Requests to other homeservers: resolves the destination's name, signs the request with X-Matrix (origin,
 * destination, key, signature over method, URI and body), sends it over verified TLS through the outbound guard,
 * and reads the JSON answer. Every request has a timeout and a bounded answer; an error status fails with
 * {@link RemoteServerException} carrying the status and errcode.
 */
public final class FederationClient implements AutoCloseable {

    /**
     * @param origin           this server's name, the {@code origin} of every request
     * @param timeout          for each request, from resolution to the last byte of the answer
     * @param maxResponseBytes the longest answer accepted
     * @param verifyTls        whether certificates and host names are checked ({@code MYELIN_FEDERATION_VERIFY_TLS})
     * @param caFile           extra trusted CA certificates, PEM ({@code MYELIN_FEDERATION_CA_FILE})
     * @param guard            the outbound SSRF guard ({@code MYELIN_OUTBOUND_ALLOWED_CIDRS})
     * @param dnsServers       name servers to ask; empty: the system's
     */
    public record Settings(ServerName origin, Duration timeout, long maxResponseBytes, boolean verifyTls,
                           Optional<Path> caFile, OutboundAddressGuard guard, List<InetSocketAddress> dnsServers) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int HTTPS_PORT = 443;

    private final Settings settings;
    private final SigningKey key;
    private final DnsLookups dns;
    private final HttpsTransport transport;
    private final ServerNameResolver resolver;

    public FederationClient(Settings settings, SigningKey key, Clock clock) {
        this(settings, key, clock, HTTPS_PORT);
    }

    /** @param wellKnownPort where {@code /.well-known/matrix/server} is asked: 443, another port only in tests */
    FederationClient(Settings settings, SigningKey key, Clock clock, int wellKnownPort) {
        this.settings = settings;
        this.key = key;
        this.dns = new DnsLookups(settings.dnsServers(), settings.timeout());
        this.transport = new HttpsTransport(new HttpsTransport.Settings(settings.timeout(), settings.maxResponseBytes(),
                settings.verifyTls()), FederationTls.clientContext(settings.verifyTls(), settings.caFile()),
                settings.guard(), dns);
        this.resolver = new ServerNameResolver(new WellKnownLookup(transport, wellKnownPort, clock), dns, clock);
    }

    /** This server's name. */
    public ServerName origin() {
        return settings.origin();
    }

    /** A signed GET; {@code pathAndQuery} is already percent-encoded (see {@link #segment}). */
    public Mono<JsonNode> get(ServerName destination, String pathAndQuery) {
        return request(destination, "GET", pathAndQuery, Optional.empty(), true);
    }

    /** A signed request with a JSON body (PUT or POST). */
    public Mono<JsonNode> send(ServerName destination, String method, String pathAndQuery, JsonNode body) {
        return request(destination, method, pathAndQuery, Optional.of(body), true);
    }

    /**
     * A signed GET whose answer is not JSON (media): its headers and body, at most {@code maxBytes} of it (else
     * {@link RemoteServerException#tooLarge()}); a status other than 200 fails as {@link #get} does.
     */
    public Mono<BinaryAnswer> getBinary(ServerName destination, String pathAndQuery, long maxBytes) {
        Map<String, String> headers = Map.of("Authorization", XMatrixAuthorization.sign(new XMatrixRequest("GET",
                pathAndQuery, settings.origin(), destination, Optional.empty()), key).toHeaderValue());
        return resolver.resolve(destination)
                .flatMap(to -> transport.send(to, "GET", pathAndQuery, headers, null, maxBytes))
                .map(response -> {
                    if (response.status() != 200) {
                        throw failure(destination, "GET", pathAndQuery, response, json(response));
                    }
                    return new BinaryAnswer(response.headers(), response.body());
                });
    }

    /** A non-JSON answer: its headers and body. */
    public record BinaryAnswer(HttpHeaders headers, byte[] body) {
    }

    /** An unsigned GET, for the key server ({@code /_matrix/key/v2/server} needs no authentication). */
    public Mono<JsonNode> getUnsigned(ServerName destination, String pathAndQuery) {
        return request(destination, "GET", pathAndQuery, Optional.empty(), false);
    }

    /** Where requests to {@code server} go, for diagnostics and tests. */
    public Mono<Destination> resolve(ServerName server) {
        return resolver.resolve(server);
    }

    /** One path segment, percent-encoded as a URI path needs (spaces as {@code %20}). */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private Mono<JsonNode> request(ServerName destination, String method, String pathAndQuery,
                                   Optional<JsonNode> body, boolean signed) {
        byte[] bytes = body.map(CanonicalJson::encode).orElse(null);
        Map<String, String> headers = new HashMap<>();
        if (bytes != null) {
            headers.put("Content-Type", "application/json");
        }
        if (signed) {
            headers.put("Authorization", XMatrixAuthorization.sign(new XMatrixRequest(method, pathAndQuery,
                    settings.origin(), destination, body), key).toHeaderValue());
        }
        return resolver.resolve(destination)
                .flatMap(to -> transport.send(to, method, pathAndQuery, headers, bytes))
                .map(response -> answer(destination, method, pathAndQuery, response));
    }

    private static JsonNode answer(ServerName destination, String method, String path, RawResponse response) {
        JsonNode json = json(response);
        if (response.status() != 200) {
            throw failure(destination, method, path, response, json);
        }
        if (json == null || !(json.isObject() || json.isArray())) {
            throw new RemoteServerException(method + " " + destination + path + " answered 200 without a JSON body",
                    response.status(), null);
        }
        return json;
    }

    private static JsonNode json(RawResponse response) {
        try {
            return response.body().length == 0 ? null : JSON.readTree(response.body());
        } catch (JacksonException e) {
            return null;
        }
    }

    private static RemoteServerException failure(ServerName destination, String method, String path,
                                                 RawResponse response, JsonNode json) {
        String errcode = json != null && json.path("errcode").isString() ? json.path("errcode").stringValue() : null;
        return new RemoteServerException(method + " " + destination + path + " answered " + response.status()
                + (errcode == null ? "" : " " + errcode), response.status(), errcode);
    }

    @Override
    public void close() {
        transport.close();
        dns.close();
    }
}
