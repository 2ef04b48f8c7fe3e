package org.myelin.federation.server.transaction;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.myelin.federation.protocol.event.Pdu;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.room.RoomVersion;
import org.myelin.federation.server.client.FederationClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The state before an event as another server in the room tells it ({@code GET /state/{roomId}?event_id=}), for an
 * event whose prev or auth events this server does not have and cannot get otherwise: its state and auth chain,
 * each event a well-formed PDU of the room that passed {@link PduChecks} (those that do not are left out).
 */
public final class StateFromServer {

    /** The state of an event and the auth chain of that state. */
    public record State(List<Pdu> pdus, List<Pdu> authChain) {
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int VERIFY_CONCURRENCY = 8;
    private static final Logger LOG = LoggerFactory.getLogger(StateFromServer.class);

    private final FederationClient client;
    private final PduChecks checks;

    public StateFromServer(FederationClient client, PduChecks checks) {
        this.client = client;
        this.checks = checks;
    }

    /** The state before {@code pdu}, asked of {@code server}; fails when it does not answer. */
    public Mono<State> before(ServerName server, Pdu pdu) {
        String roomId = pdu.roomId().value();
        String path = "/_matrix/federation/v1/state/" + FederationClient.segment(roomId)
                + "?event_id=" + FederationClient.segment(pdu.eventId().value());
        return client.get(server, path).timeout(TIMEOUT).flatMap(answer -> verified(answer.path("pdus"),
                pdu.roomVersion(), roomId)
                .map(state -> state.stream().filter(event -> event.stateKey().isPresent()).toList())
                .zipWith(verified(answer.path("auth_chain"), pdu.roomVersion(), roomId), State::new));
    }

    /** Those of a server's events that are well-formed PDUs of the room and pass {@link PduChecks}, in order. */
    public Mono<List<Pdu>> verified(JsonNode events, RoomVersion version, String roomId) {
        List<JsonNode> all = new ArrayList<>();
        events.forEach(all::add);
        return Flux.fromIterable(all)
                .flatMapSequential(json -> Mono.fromCallable(() -> Pdu.of(json, version))
                        .filter(pdu -> pdu.roomId().value().equals(roomId))
                        .flatMap(checks::verified)
                        .onErrorResume(e -> {
                            LOG.info("A PDU of {} was refused: {}", roomId, e.getMessage());
                            return Mono.empty();
                        }), VERIFY_CONCURRENCY)
                .collectList();
    }
}
