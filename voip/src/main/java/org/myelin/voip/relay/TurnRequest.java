package org.myelin.voip.relay;

import org.ice4j.message.Response;

/**
 * An authenticated TURN request with everything a handler needs to answer it; responses are signed with the
 * requester's long-term key.
 */
record TurnRequest(FiveTuple fiveTuple, ClientSink client, RawStunMessage raw,
        LongTermAuthenticator.Authenticated auth) {

    byte[] transactionId() {
        return raw.transactionId();
    }

    String username() {
        return auth.username();
    }

    /** A signed error response for this request's method. */
    byte[] error(int code, String reason) {
        return StunResponses.error(StunResponses.method(raw.type()), transactionId(), code, reason, auth.key());
    }

    /** The given success response, encoded with this request's transaction id and signed. */
    byte[] success(Response response) {
        return StunResponses.success(response, transactionId(), auth.key());
    }
}
