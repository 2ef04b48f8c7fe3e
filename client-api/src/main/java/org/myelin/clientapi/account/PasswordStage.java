package org.myelin.clientapi.account;

import java.util.Map;

import org.myelin.clientapi.auth.PasswordHasher;
import org.myelin.clientapi.auth.UiaStage;
import org.myelin.db.account.UserRepository;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.http.JsonFields;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** The m.login.password stage: the authenticated user re-enters their password. */
@Component
public class PasswordStage implements UiaStage {

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final LocalUsers localUsers;

    public PasswordStage(UserRepository users, PasswordHasher hasher, LocalUsers localUsers) {
        this.users = users;
        this.hasher = hasher;
        this.localUsers = localUsers;
    }

    @Override
    public String type() {
        return "m.login.password";
    }

    @Override
    public Mono<Map<String, String>> attempt(JsonNode auth, String userId) {
        String password = JsonFields.optionalString(auth, "password");
        String claimed = claimedUser(auth);
        if (password == null) {
            return Mono.error(new StageFailed(ErrCode.M_MISSING_PARAM.name(), "Missing password"));
        }
        if (claimed != null && !claimed.equals(userId)) {
            // As Synapse: authenticating as someone else is no stage to retry but a 403.
            return Mono.error(MatrixException.forbidden("Identifier does not match the user"));
        }
        return users.find(userId)
                .flatMap(u -> hasher.verify(password, u.deactivated() ? null : u.passwordHash()))
                .defaultIfEmpty(false)
                .flatMap(ok -> ok ? Mono.just(Map.<String, String>of())
                        : Mono.error(new StageFailed(ErrCode.M_FORBIDDEN.name(), "Invalid password")));
    }

    private String claimedUser(JsonNode auth) {
        JsonNode identifier = JsonFields.optionalObject(auth, "identifier");
        if (identifier != null) {
            return localUsers.resolve(JsonFields.optionalString(identifier, "user"));
        }
        String user = JsonFields.optionalString(auth, "user");
        return user == null ? null : localUsers.resolve(user);
    }
}
