package org.myelin.federation.server.transaction;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.myelin.db.federation.InboundTransactionRepository;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.server.auth.SignedRequest;
import org.myelin.http.Responses;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code PUT /_matrix/federation/v1/send/{txnId}}: at most {@link #MAX_PDUS} PDUs and {@link #MAX_EDUS} EDUs
 * (else {@code 400 M_TOO_LARGE}), from the server that signed the request (a different {@code origin} in the body
 * is {@code 403 M_FORBIDDEN}). Each (origin, transaction ID) is processed once across all nodes: a retry gets the
 * first answer. PDUs of one room are handled in the order sent, rooms in parallel; then the EDUs. The answer names
 * every PDU with an empty object, or an {@code error} when it was dropped.
 */
final class TransactionHandler {

    static final int MAX_PDUS = 50;
    static final int MAX_EDUS = 100;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final InboundPdus pdus;
    private final InboundEdus edus;
    private final InboundTransactionRepository transactions;
    private final Clock clock;

    TransactionHandler(InboundPdus pdus, InboundEdus edus, InboundTransactionRepository transactions, Clock clock) {
        this.pdus = pdus;
        this.edus = edus;
        this.transactions = transactions;
        this.clock = clock;
    }

    Mono<ServerResponse> send(ServerRequest request, SignedRequest signed) {
        String txnId = request.pathVariable("txnId");
        JsonNode body = signed.body().orElseThrow(() -> MatrixException.badJson("A transaction needs a body"));
        JsonNode origin = body.get("origin");
        if (origin != null && !origin.stringValue("").equals(signed.origin().value())) {
            throw MatrixException.forbidden("The transaction's origin is not the server that signed the request");
        }
        JsonNode pduList = body.get("pdus");
        JsonNode eduList = body.has("edus") ? body.get("edus") : JsonNodeFactory.instance.arrayNode();
        if (pduList == null || !pduList.isArray() || !eduList.isArray()) {
            throw MatrixException.badJson("pdus (and edus, when present) must be arrays");
        }
        if (pduList.size() > MAX_PDUS || eduList.size() > MAX_EDUS) {
            throw new MatrixException(ErrCode.M_TOO_LARGE, 400, "A transaction holds at most " + MAX_PDUS
                    + " PDUs and " + MAX_EDUS + " EDUs");
        }
        String originName = signed.origin().value();
        return transactions.claim(originName, txnId, clock.millis()).flatMap(claim -> {
            if (claim.response().isPresent()) {
                return Responses.ok(JSON.readTree(claim.response().get()));
            }
            Mono<ObjectNode> work = handlePdus(signed, pduList)
                    .flatMap(answer -> claim.claimed() ? edus.apply(signed.origin(), eduList).thenReturn(answer)
                            : Mono.just(answer));
            if (!claim.claimed()) {
                return work.flatMap(Responses::ok);
            }
            return work.flatMap(answer -> transactions.finish(originName, txnId, JSON.writeValueAsString(answer))
                            .thenReturn(answer))
                    .onErrorResume(e -> transactions.release(originName, txnId).then(Mono.error(e)))
                    .flatMap(Responses::ok);
        });
    }

    private Mono<ObjectNode> handlePdus(SignedRequest signed, JsonNode pduList) {
        Map<String, List<JsonNode>> byRoom = new LinkedHashMap<>();
        pduList.forEach(pdu -> byRoom.computeIfAbsent(pdu.path("room_id").stringValue(""), r -> new ArrayList<>())
                .add(pdu));
        return Flux.fromIterable(byRoom.values())
                .flatMap(room -> Flux.fromIterable(room).concatMap(pdu -> pdus.handle(signed.origin(), pdu)))
                .collectList()
                .map(results -> {
                    ObjectNode answer = JsonNodeFactory.instance.objectNode();
                    ObjectNode byEvent = answer.putObject("pdus");
                    results.forEach(r -> r.eventId().ifPresent(id -> {
                        ObjectNode entry = byEvent.putObject(id);
                        r.error().ifPresent(error -> entry.put("error", error));
                    }));
                    return answer;
                });
    }
}
