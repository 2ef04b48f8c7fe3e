package org.myelin.clientapi.account;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import org.myelin.clientapi.auth.Requester;
import org.myelin.clientapi.auth.SecretTokens;
import org.myelin.db.account.RegistrationTokenRepository;
import org.myelin.db.account.RegistrationTokenRepository.RegistrationTokenRow;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.http.JsonBodies;
import org.myelin.http.Responses;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The admin API for registration tokens, in Synapse's shape (/_synapse/admin/v1/registration_tokens), so existing
 * admin tools work. Admins only.
 */
@Component
public class RegistrationTokenAdminHandler {

    private final JsonBodies bodies;
    private final RegistrationTokenRepository tokens;
    private final Clock clock;

    public RegistrationTokenAdminHandler(JsonBodies bodies, RegistrationTokenRepository tokens, Clock clock) {
        this.bodies = bodies;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** GET /_synapse/admin/v1/registration_tokens[?valid=true|false] */
    public Mono<ServerResponse> list(ServerRequest request, Requester requester) {
        requireAdmin(requester);
        Boolean valid = request.queryParam("valid").map(Boolean::parseBoolean).orElse(null);
        long now = clock.millis();
        return tokens.list().flatMap(rows -> Responses.ok(Map.of("registration_tokens", rows.stream()
                .filter(r -> valid == null || valid == isValid(r, now)).map(RegistrationTokenAdminHandler::toJson)
                .toList())));
    }

    /** POST /_synapse/admin/v1/registration_tokens/new */
    public Mono<ServerResponse> create(ServerRequest request, Requester requester) {
        requireAdmin(requester);
        return bodies.optionalObject(request).flatMap(body -> {
            String token = body.hasNonNull("token") ? textOf(body, "token") : SecretTokens.opaqueId().substring(0, 16);
            if (token.isEmpty() || token.length() > 64 || !token.matches("[A-Za-z0-9._~-]+")) {
                return Mono.error(MatrixException.invalidParam("token must be 1-64 characters of A-Za-z0-9._~-"));
            }
            Integer uses = nonNegativeInt(body, "uses_allowed");
            Long expiry = expiry(body);
            return tokens.create(token, uses, expiry)
                    .flatMap(created -> created ? tokens.find(token)
                            : Mono.error(new MatrixException(ErrCode.M_INVALID_PARAM, "Token already exists")))
                    .flatMap(row -> Responses.ok(toJson(row)));
        });
    }

    /** GET /_synapse/admin/v1/registration_tokens/{token} */
    public Mono<ServerResponse> get(ServerRequest request, Requester requester) {
        requireAdmin(requester);
        return tokens.find(request.pathVariable("token"))
                .switchIfEmpty(Mono.error(() -> MatrixException.notFound("No such registration token")))
                .flatMap(row -> Responses.ok(toJson(row)));
    }

    /** PUT /_synapse/admin/v1/registration_tokens/{token} — changes uses_allowed and/or expiry_time. */
    public Mono<ServerResponse> update(ServerRequest request, Requester requester) {
        requireAdmin(requester);
        String token = request.pathVariable("token");
        return bodies.object(request).flatMap(body -> tokens.find(token)
                .switchIfEmpty(Mono.error(() -> MatrixException.notFound("No such registration token")))
                .flatMap(current -> tokens.update(token,
                        body.has("uses_allowed") ? nonNegativeInt(body, "uses_allowed") : current.usesAllowed(),
                        body.has("expiry_time") ? expiry(body) : current.expiryTime()))
                .flatMap(row -> Responses.ok(toJson(row))));
    }

    /** DELETE /_synapse/admin/v1/registration_tokens/{token} */
    public Mono<ServerResponse> delete(ServerRequest request, Requester requester) {
        requireAdmin(requester);
        return tokens.delete(request.pathVariable("token")).flatMap(deleted -> deleted ? Responses.empty()
                : Mono.error(MatrixException.notFound("No such registration token")));
    }

    private static boolean isValid(RegistrationTokenRow r, long now) {
        return (r.expiryTime() == null || r.expiryTime() > now)
                && (r.usesAllowed() == null || r.pending() + r.completed() < r.usesAllowed());
    }

    private static Map<String, Object> toJson(RegistrationTokenRow row) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("token", row.token());
        json.put("uses_allowed", row.usesAllowed());
        json.put("pending", row.pending());
        json.put("completed", row.completed());
        json.put("expiry_time", row.expiryTime());
        return json;
    }

    private static String textOf(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (!v.isString()) {
            throw MatrixException.badJson(field + " must be a string");
        }
        return v.asString();
    }

    private static Integer nonNegativeInt(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.intValue() < 0) {
            throw MatrixException.invalidParam(field + " must be a non-negative integer or null");
        }
        return v.intValue();
    }

    private Long expiry(JsonNode body) {
        JsonNode v = body.get("expiry_time");
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || v.longValue() <= clock.millis()) {
            throw MatrixException.invalidParam("expiry_time must be a future timestamp in milliseconds or null");
        }
        return v.longValue();
    }

    private static void requireAdmin(Requester requester) {
        if (!requester.admin()) {
            throw MatrixException.forbidden("You are not a server admin");
        }
    }
}
