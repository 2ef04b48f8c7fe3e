package org.myelin.federation.protocol.event;

import java.util.Optional;

import org.myelin.federation.protocol.crypto.SignatureCheck;
import org.myelin.federation.protocol.id.ServerName;

/**
 * The result of checking a received event's signatures and content hash (server-server API "Validating hashes
 * and signatures on received events").
 *
 * @param outcome what the check found
 * @param server  the server whose signature failed, for the signature outcomes
 */
public record EventVerification(Outcome outcome, Optional<ServerName> server) {

    /** What checking an event found. */
    public enum Outcome {
        /** Signatures and content hash are valid. */
        VALID,
        /** Signatures are valid but the content hash is not: keep only the redacted form of the event. */
        CONTENT_HASH_MISMATCH,
        /** A required server has no signature on the event. */
        NOT_SIGNED,
        /** A required server signed only with keys we do not know. */
        UNKNOWN_KEY,
        /** A required server's signature did not verify: reject the event. */
        BAD_SIGNATURE
    }

    static EventVerification valid() {
        return new EventVerification(Outcome.VALID, Optional.empty());
    }

    static EventVerification contentHashMismatch() {
        return new EventVerification(Outcome.CONTENT_HASH_MISMATCH, Optional.empty());
    }

    static EventVerification signatureFailure(ServerName server, SignatureCheck check) {
        Outcome outcome = switch (check) {
            case NOT_SIGNED -> Outcome.NOT_SIGNED;
            case UNKNOWN_KEY -> Outcome.UNKNOWN_KEY;
            case INVALID, VALID -> Outcome.BAD_SIGNATURE;
        };
        return new EventVerification(outcome, Optional.of(server));
    }

    /** True when the signatures hold, whether or not the content hash does. */
    public boolean signaturesValid() {
        return outcome == Outcome.VALID || outcome == Outcome.CONTENT_HASH_MISMATCH;
    }
}
