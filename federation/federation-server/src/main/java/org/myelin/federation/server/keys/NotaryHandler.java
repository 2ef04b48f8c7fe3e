package org.myelin.federation.server.keys;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.http.JsonBodies;
import org.myelin.http.Responses;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * This server as a notary ({@code GET /_matrix/key/v2/query/{serverName}}, {@code POST /_matrix/key/v2/query}): the
 * key documents of the servers asked about, from the key ring (stored, or fetched directly when what is stored is
 * not valid long enough), each countersigned by this server. Servers it cannot get keys for are left out.
 */
final class NotaryHandler {

    /** The most servers one query may name. */
    static final int MAX_SERVERS = 100;

    private final ServerKeys own;
    private final KeyRing ring;
    private final JsonBodies bodies;
    private final Clock clock;

    NotaryHandler(ServerKeys own, KeyRing ring, JsonBodies bodies, Clock clock) {
        this.own = own;
        this.ring = ring;
        this.bodies = bodies;
        this.clock = clock;
    }

    Mono<ServerResponse> queryOne(ServerRequest request) {
        ServerName server = ServerName.parse(request.pathVariable("serverName"));
        long minimum = request.queryParam("minimum_valid_until_ts").map(NotaryHandler::timestamp)
                .orElse(clock.millis());
        return answer(Map.of(server, minimum));
    }

    Mono<ServerResponse> query(ServerRequest request) {
        return bodies.object(request).flatMap(body -> {
            JsonNode servers = body.get("server_keys");
            if (servers == null || !servers.isObject()) {
                throw MatrixException.badJson("server_keys must be an object");
            }
            if (servers.size() > MAX_SERVERS) {
                throw MatrixException.invalidParam("At most " + MAX_SERVERS + " servers per query");
            }
            Map<ServerName, Long> wanted = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> server : servers.properties()) {
                long minimum = clock.millis();
                for (JsonNode criteria : server.getValue()) {
                    JsonNode ts = criteria.path("minimum_valid_until_ts");
                    if (ts.isIntegralNumber()) {
                        minimum = Math.max(minimum, ts.asLong());
                    }
                }
                wanted.put(ServerName.parse(server.getKey()), minimum);
            }
            return answer(wanted);
        });
    }

    private Mono<ServerResponse> answer(Map<ServerName, Long> wanted) {
        return Flux.fromIterable(wanted.entrySet())
                .concatMap(e -> ring.document(e.getKey(), e.getValue()).onErrorReturn(Optional.empty()))
                .filter(Optional::isPresent)
                .map(doc -> own.countersign(doc.get()))
                .collectList()
                .flatMap(docs -> {
                    ObjectNode body = JsonNodeFactory.instance.objectNode();
                    body.putArray("server_keys").addAll(docs);
                    return Responses.ok(body);
                });
    }

    private static long timestamp(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam("minimum_valid_until_ts must be an integer");
        }
    }
}
