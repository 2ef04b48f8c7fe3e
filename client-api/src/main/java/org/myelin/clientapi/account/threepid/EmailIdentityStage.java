package org.myelin.clientapi.account.threepid;

import java.util.Map;

import org.myelin.clientapi.auth.UiaStage;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.http.JsonFields;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The m.login.email.identity stage: {@code threepid_creds} name a validation session this server ran for the
 * stage's purpose, and the user opened the mailed link. The proved address is remembered in the UIA session as
 * {@link #PARAM}.
 */
public final class EmailIdentityStage implements UiaStage {

    /** The session parameter holding the validated address. */
    public static final String PARAM = "email";

    private final ThreepidValidation validation;
    private final ValidationPurpose purpose;

    public EmailIdentityStage(ThreepidValidation validation, ValidationPurpose purpose) {
        this.validation = validation;
        this.purpose = purpose;
    }

    @Override
    public String type() {
        return "m.login.email.identity";
    }

    @Override
    public Mono<Map<String, String>> attempt(JsonNode auth, String userId) {
        JsonNode creds = JsonFields.optionalObject(auth, "threepid_creds");
        if (creds == null) {
            // The spec's older name, which clients still send.
            creds = JsonFields.optionalObject(auth, "threepidCreds");
        }
        String sid = creds == null ? null : JsonFields.optionalString(creds, "sid");
        String secret = creds == null ? null : JsonFields.optionalString(creds, "client_secret");
        if (sid == null || secret == null) {
            return Mono.error(new StageFailed(ErrCode.M_MISSING_PARAM.name(),
                    "threepid_creds needs sid and client_secret"));
        }
        // An unvalidated or unknown session fails the stage with the spec's M_THREEPID_AUTH_FAILED ("could not
        // be performed on the third-party identifier"; Synapse sends M_UNAUTHORIZED here).
        return validation.validatedAddress(sid, secret, purpose)
                .map(address -> Map.of(PARAM, address))
                .switchIfEmpty(Mono.error(() -> new StageFailed(ErrCode.M_THREEPID_AUTH_FAILED.name(),
                        "Unable to get validated threepid")));
    }
}
