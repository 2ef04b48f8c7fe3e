package org.myelin.federation.protocol.event;

import java.security.SecureRandom;

import org.myelin.federation.protocol.crypto.ContentHash;
import org.myelin.federation.protocol.crypto.JsonSigner;
import org.myelin.federation.protocol.crypto.SigningKey;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.json.CanonicalJson.Mode;
import org.myelin.federation.protocol.room.RoomVersion;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Hashes and signs outgoing events (server-server API "Adding hashes and signatures to outgoing events"):
 * the content hash goes into {@code hashes.sha256}, then the redacted form is signed and the signature copied
 * back onto the full event.
 */
public final class EventSigning {

    private final ServerName origin;
    private final SigningKey key;
    private final SecureRandom random;

    /**
     * @param origin this server's name, the entity the signatures are filed under
     * @param key    this server's current signing key
     * @param random source for the opaque part of room v1–2 event IDs
     */
    public EventSigning(ServerName origin, SigningKey key, SecureRandom random) {
        this.origin = origin;
        this.key = key;
        this.random = random;
    }

    /** This server's name, the entity the signatures are filed under. */
    public ServerName origin() {
        return origin;
    }

    /**
     * Hashes and signs an unsigned proto event and computes its ID. Any {@code hashes} and {@code signatures} on the input are
     * replaced; in room v1–2 an {@code event_id} is generated when the proto event has none.
     */
    public SignedEvent sign(ObjectNode protoEvent, RoomVersion version) {
        ObjectNode event = protoEvent.deepCopy();
        event.remove("signatures");
        if (version.eventIdInPdu() && !event.has("event_id")) {
            event.put("event_id", EventIds.generateServerGenerated(origin, random).value());
        }
        Mode mode = Mode.of(version);
        // 1. The content hash covers the full event, and is stored in it before anything is signed.
        event.putObject("hashes").put("sha256", ContentHash.computeBase64(event, mode));
        // 2–3. Sign the redacted form and copy its signatures back onto the full event.
        event.set("signatures", signaturesOfRedacted(event, version));
        return new SignedEvent(event, EventIds.compute(event, version));
    }

    /**
     * Adds this server's signature to an event another server created, keeping its hashes and other
     * signatures: for invites to our users and for restricted joins we authorise.
     */
    public Pdu countersign(Pdu pdu, RoomVersion version) {
        ObjectNode event = pdu.json();
        event.set("signatures", signaturesOfRedacted(event, version));
        return Pdu.of(event, version);
    }

    private JsonNode signaturesOfRedacted(ObjectNode event, RoomVersion version) {
        ObjectNode redacted = Redactor.redact(event, version);
        // The redacted form keeps existing signatures, so other servers' signatures survive.
        return JsonSigner.sign(redacted, origin, key, Mode.of(version)).get("signatures");
    }
}
