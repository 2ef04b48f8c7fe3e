package org.myelin.federation.server.transaction;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.event.EventVerification;
import org.myelin.federation.protocol.event.EventVerifier;
import org.myelin.federation.protocol.event.Pdu;
import org.myelin.federation.protocol.event.PduLimits;
import org.myelin.federation.protocol.event.Redactor;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.room.RoomVersion;
import org.myelin.federation.server.keys.KeyRing;
import org.myelin.room.graph.RoomStore;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.JsonNode;

/**
 * The checks every PDU received outside a transaction goes through too (a join, leave or invite handed over
 * directly, the events of a room being joined): size limits, signatures, content hash, and the room's server ACL.
 */
public final class PduChecks {

    private final KeyRing keys;
    private final Scheduler cpu;
    private final PduSignatures signatures;
    private final RoomAcls acls;

    public PduChecks(KeyRing keys, RoomStore store, Scheduler cpu) {
        this.keys = keys;
        this.cpu = cpu;
        this.signatures = new PduSignatures(keys, cpu);
        this.acls = new RoomAcls(store);
    }

    /**
     * The PDU as it may be stored: itself, or its redacted form when its content hash does not match. Fails with
     * {@code M_TOO_LARGE} over the size limits and {@code 403 M_FORBIDDEN} when a required signature is missing
     * or wrong.
     */
    public Mono<Pdu> verified(Pdu pdu) {
        PduLimits.violation(pdu.json(), pdu.canonicalBytes().length).ifPresent(why -> {
            throw new MatrixException(ErrCode.M_TOO_LARGE, 400, why);
        });
        return signatures.verify(pdu).map(verification -> {
            if (!verification.signaturesValid()) {
                throw MatrixException.forbidden("Signature check failed on " + pdu.eventId() + ": "
                        + verification.outcome());
            }
            return verification.outcome() == EventVerification.Outcome.CONTENT_HASH_MISMATCH
                    ? Pdu.of(Redactor.redact(pdu.json(), pdu.roomVersion()), pdu.roomVersion()) : pdu;
        });
    }

    /**
     * {@link #verified(Pdu)} of an event as received, read (its event ID computed, which hashes it) on the CPU
     * scheduler like the checks themselves, so that the thousands of events of a join's answer keep off the event
     * loop that read it.
     */
    public Mono<Pdu> verified(JsonNode json, RoomVersion version) {
        return Mono.fromCallable(() -> Pdu.of(json, version)).subscribeOn(cpu).flatMap(this::verified);
    }

    /**
     * Fetches beforehand, a few servers at a time, the keys {@link #verified} will need for all of {@code events}
     * (the servers that must have signed them); an event too malformed to name them is left for its own check.
     */
    public Mono<Void> prefetchKeys(Collection<JsonNode> events, RoomVersion version) {
        Set<ServerName> servers = new LinkedHashSet<>();
        for (JsonNode event : events) {
            try {
                servers.addAll(EventVerifier.requiredSigners(event, version));
            } catch (MatrixException e) {
                // verified() rejects it with the same error.
            }
        }
        return keys.prefetch(servers);
    }

    /** Whether the room's server ACL lets {@code server} take part. */
    public Mono<Boolean> aclAllows(String roomId, ServerName server) {
        return acls.allows(roomId, server);
    }

    PduSignatures signatures() {
        return signatures;
    }

    RoomAcls acls() {
        return acls;
    }
}
