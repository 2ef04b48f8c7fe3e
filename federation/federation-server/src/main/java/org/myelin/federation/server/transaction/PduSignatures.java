package org.myelin.federation.server.transaction;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.myelin.federation.protocol.crypto.PublicKeys;
import org.myelin.federation.protocol.crypto.VerifyKey;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.event.EventVerification;
import org.myelin.federation.protocol.event.EventVerifier;
import org.myelin.federation.protocol.event.Pdu;
import org.myelin.federation.protocol.id.KeyId;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.server.keys.KeyRing;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.JsonNode;

/**
 * Checks a received PDU's signatures and content hash ({@link EventVerifier}) with the keys of every server that
 * must have signed it, looked up in the key ring for the event's {@code origin_server_ts} (validity enforced from
 * room version 5 on). The check itself runs on the CPU scheduler.
 */
final class PduSignatures {

    private record KeyRef(ServerName server, KeyId keyId) {
    }

    private final KeyRing keys;
    private final Scheduler cpu;

    PduSignatures(KeyRing keys, Scheduler cpu) {
        this.keys = keys;
        this.cpu = cpu;
    }

    Mono<EventVerification> verify(Pdu pdu) {
        Map<KeyRef, VerifyKey> found = new HashMap<>();
        return Flux.fromIterable(EventVerifier.requiredSigners(pdu.json(), pdu.roomVersion()))
                .flatMap(server -> Flux.fromIterable(keyIds(pdu.json().path("signatures").path(server.value())))
                        .flatMap(keyId -> keys.find(server, keyId, pdu.originServerTs(),
                                        pdu.roomVersion().enforceKeyValidity())
                                .doOnNext(key -> key.ifPresent(k -> {
                                    synchronized (found) {
                                        found.put(new KeyRef(server, keyId), k);
                                    }
                                }))))
                .then(Mono.fromCallable(() -> {
                    Map<KeyRef, VerifyKey> copy;
                    synchronized (found) {
                        copy = Map.copyOf(found);
                    }
                    PublicKeys lookup = (server, keyId) -> Optional.ofNullable(copy.get(new KeyRef(server, keyId)));
                    return EventVerifier.verify(pdu, lookup);
                }).subscribeOn(cpu));
    }

    private static List<KeyId> keyIds(JsonNode signatures) {
        List<KeyId> ids = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : signatures.properties()) {
            try {
                KeyId id = KeyId.parse(entry.getKey());
                if (id.isEd25519()) {
                    ids.add(id);
                }
            } catch (MatrixException e) {
                // A key ID we cannot read names no key we could use; the verifier skips it too.
            }
        }
        return ids;
    }
}
