package org.myelin.federation.server.space;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.space.RoomSummary;
import org.myelin.federation.protocol.space.SpaceRoom;
import org.myelin.federation.server.client.FederationClient;
import org.myelin.room.api.RemoteHierarchies;
import org.myelin.room.api.RemoteSpace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Asks other servers for a room's hierarchy entry ({@code GET /_matrix/federation/v1/hierarchy/{roomId}}), one
 * server after the other, each within {@link #TIMEOUT} (on top of the client's own request timeout): the first
 * answer whose {@code room} is the room asked for wins. A server that fails, times out or answers nonsense is
 * skipped with one log line; the answer is checked field by field ({@link SpaceRoom#fromJson}).
 */
public final class RemoteSpaceHierarchy implements RemoteHierarchies {

    /** How long one server may take to answer. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(RemoteSpaceHierarchy.class);

    private final FederationClient client;

    public RemoteSpaceHierarchy(FederationClient client) {
        this.client = client;
    }

    @Override
    public Mono<RemoteSpace> hierarchy(List<ServerName> servers, RoomId roomId, boolean suggestedOnly) {
        String path = "/_matrix/federation/v1/hierarchy/" + FederationClient.segment(roomId.value())
                + "?suggested_only=" + suggestedOnly;
        return Flux.fromIterable(servers)
                .concatMap(server -> client.get(server, path).timeout(TIMEOUT)
                        .flatMap(answer -> Mono.justOrEmpty(parse(answer, roomId)))
                        .onErrorResume(e -> {
                            LOG.info("Could not get the hierarchy of {} from {}: {}", roomId, server, e.toString());
                            return Mono.empty();
                        }))
                .next();
    }

    /** The answer when its room is {@code roomId}. */
    static Optional<RemoteSpace> parse(JsonNode answer, RoomId roomId) {
        return SpaceRoom.fromJson(answer.path("room")).filter(room -> room.roomId().equals(roomId.value()))
                .map(room -> {
                    Map<String, RoomSummary> children = new HashMap<>();
                    answer.path("children").forEach(child -> RoomSummary.fromJson(child)
                            .ifPresent(summary -> children.putIfAbsent(summary.roomId(), summary)));
                    Set<String> inaccessible = new HashSet<>();
                    answer.path("inaccessible_children").forEach(id -> {
                        if (id.isString()) {
                            inaccessible.add(id.stringValue());
                        }
                    });
                    return new RemoteSpace(room, children, inaccessible);
                });
    }
}
