package org.myelin.clientapi.auth;

import java.util.Map;

import tools.jackson.databind.JsonNode;
import reactor.core.publisher.Mono;

/** One User-Interactive Authentication stage type, e.g. m.login.password. */
public interface UiaStage {

    /** The stage type clients send in {@code auth.type}. */
    String type();

    /**
     * Checks the client's {@code auth} dict. Emits values to remember in the session (may be empty) on success;
     * errors with {@link StageFailed} when the client got it wrong.
     *
     * @param auth   the {@code auth} object of the request
     * @param userId the authenticated user for endpoints that need one, else null
     */
    Mono<Map<String, String>> attempt(JsonNode auth, String userId);

    /** A failed stage: reported in the next 401 as errcode and error. */
    class StageFailed extends RuntimeException {

        private final String errcode;

        public StageFailed(String errcode, String message) {
            super(message, null, false, false);
            this.errcode = errcode;
        }

        public String errcode() {
            return errcode;
        }
    }
}
