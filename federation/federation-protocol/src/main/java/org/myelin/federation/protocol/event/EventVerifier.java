package org.myelin.federation.protocol.event;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.myelin.federation.protocol.crypto.ContentHash;
import org.myelin.federation.protocol.crypto.JsonSigner;
import org.myelin.federation.protocol.crypto.PublicKeys;
import org.myelin.federation.protocol.crypto.SignatureCheck;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.EventId;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.federation.protocol.json.CanonicalJson.Mode;
import org.myelin.federation.protocol.room.RoomVersion;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks the signatures and content hash of a received event (server-server API "Validating hashes and
 * signatures on received events"). Signatures are checked on the redacted form, so a redacted copy still
 * verifies; the content hash then tells whether we hold the full event.
 */
public final class EventVerifier {

    private EventVerifier() {
    }

    /** Verifies {@code pdu} with keys from {@code keys}; never throws for a bad event. */
    public static EventVerification verify(Pdu pdu, PublicKeys keys) {
        return verify(pdu.json(), pdu.roomVersion(), keys);
    }

    /**
     * Verifies an event of {@code version} with keys from {@code keys}. Throws {@code M_BAD_JSON} only when the
     * event lacks a valid {@code sender} (or, in rooms v1–2, {@code event_id}), so no signer can be named.
     */
    public static EventVerification verify(JsonNode event, RoomVersion version, PublicKeys keys) {
        Mode mode = Mode.of(version);
        // 1. Redact, then check the signature of every server that must have signed.
        ObjectNode redacted = Redactor.redact(event, version);
        for (ServerName server : requiredSigners(event, version)) {
            SignatureCheck check = JsonSigner.verify(redacted, server, keys, mode);
            if (!check.isValid()) {
                return EventVerification.signatureFailure(server, check);
            }
        }
        // 2. Compare the content hash; a mismatch means we were given a redacted (or tampered) copy.
        return ContentHash.matches(event, mode) ? EventVerification.valid() : EventVerification.contentHashMismatch();
    }

    /**
     * The servers whose signatures an event needs: the sender's server, except for an invite made from a
     * third-party invite (which another server may send); in rooms v1–2 also the server of the event ID; and
     * for a restricted join (v8+), the server of {@code join_authorised_via_users_server}.
     */
    public static Set<ServerName> requiredSigners(JsonNode event, RoomVersion version) {
        Set<ServerName> servers = new LinkedHashSet<>();
        JsonNode content = event.path("content");
        boolean member = "m.room.member".equals(event.path("type").stringValue(""));
        String membership = content.path("membership").stringValue("");
        if (!(member && "invite".equals(membership) && content.has("third_party_invite"))) {
            servers.add(parsed(event, "sender", UserId::parse).server());
        }
        if (version.signaturesFromEventIdDomain()) {
            parsed(event, "event_id", EventId::parse).server().ifPresent(servers::add);
        }
        JsonNode authoriser = content.path("join_authorised_via_users_server");
        if (version.restrictedJoinAllowed() && member && "join".equals(membership) && authoriser.isString()) {
            authoriserServer(authoriser.stringValue()).ifPresent(servers::add);
        }
        return servers;
    }

    private static <T> T parsed(JsonNode event, String field, Function<String, T> parser) {
        try {
            return parser.apply(event.path(field).stringValue(null));
        } catch (MatrixException e) {
            throw MatrixException.badJson("Event field " + field + " is missing or malformed");
        }
    }

    /** Empty for a malformed user ID, which the auth rules reject the join for anyway. */
    private static Optional<ServerName> authoriserServer(String userId) {
        try {
            return Optional.of(UserId.parse(userId).server());
        } catch (MatrixException e) {
            return Optional.empty();
        }
    }
}
