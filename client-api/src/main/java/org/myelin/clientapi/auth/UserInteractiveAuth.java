package org.myelin.clientapi.auth;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.myelin.clientapi.http.ClientApiSettings;
import org.myelin.clientapi.http.UiaChallenge;
import org.myelin.db.account.UiaSessionRepository;
import org.myelin.db.account.UiaSessionRepository.UiaSessionRow;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.http.JsonFields;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;

import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * User-Interactive Authentication (spec: client-server-api "User-Interactive Authentication API"). A request
 * without {@code auth} gets a 401 naming the flows and a new session; each request with {@code auth} completes one
 * stage; when a whole flow is complete the request proceeds. Sessions are stored in the database, so a client may
 * continue on any node.
 *
 * <p>A session is bound to the operation it began: the same purpose, method and path, and (except for
 * registration, whose parameters may change between stages, as in Synapse) the same body apart from {@code auth};
 * anything else is 403 M_FORBIDDEN, so a session completed for one device deletion cannot delete another device. A
 * continuation carrying only {@code auth} gets the body of the session's first request (NOTSPEC: as Synapse does,
 * so a registration can be finished from another device). Secret fields ({@code password}, {@code new_password})
 * are never stored: callers pass their hash in {@link Step#remember}. A completed session stays until it expires,
 * and a retry with it completes again without a stage (the spec: completed stages cannot be retried).
 */
@Component
public class UserInteractiveAuth {

    /** The purpose of registration sessions, whose body may change between stages. */
    public static final String REGISTER = "register";

    /** Fields never stored with the session's body. */
    private static final Set<String> SECRET_FIELDS = Set.of("auth", "password", "new_password");

    /**
     * One UIA step of a request.
     *
     * @param request  the HTTP request (its method and path bind the session)
     * @param body     the request body
     * @param purpose  what the session authorises (a session of one purpose cannot be used for another)
     * @param userId   the authenticated user, or null for registration and password reset
     * @param flows    the acceptable stage sequences
     * @param stages   the stage implementations by type
     * @param remember values to keep in the session's params (e.g. a password hash), may be empty
     */
    public record Step(ServerRequest request, JsonNode body, String purpose, String userId, List<List<String>> flows,
            List<UiaStage> stages, Map<String, String> remember) {
    }

    /**
     * A completed flow: the session, the values stages and callers stored in it (e.g. the redeemed registration
     * token), and the body the operation runs with (the first request's when this one carried only auth).
     */
    public record Completed(String sessionId, Map<String, String> params, JsonNode body) {
    }

    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() { };
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() { };

    private final UiaSessionRepository sessions;
    private final ObjectMapper mapper;
    private final ClientApiSettings settings;
    private final Clock clock;

    public UserInteractiveAuth(UiaSessionRepository sessions, ObjectMapper mapper, ClientApiSettings settings,
            Clock clock) {
        this.sessions = sessions;
        this.mapper = mapper;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Runs one step of UIA. Emits {@link Completed} when a flow is done; otherwise errors with the
     * {@link UiaChallenge} the client must answer, or 403 M_FORBIDDEN when the session belongs to another user or
     * operation.
     */
    public Mono<Completed> authenticate(Step step) {
        JsonNode auth = JsonFields.optionalObject(step.body(), "auth");
        ObjectNode operationBody = withoutSecrets(step.body());
        if (auth == null) {
            return newSession(step, operationBody).flatMap(s -> remember(s, step.remember()))
                    .flatMap(s -> challenge(s, step.flows(), null, null));
        }
        String sessionId = JsonFields.optionalString(auth, "session");
        String type = JsonFields.optionalString(auth, "type");
        Mono<UiaSessionRow> session = sessionId == null ? newSession(step, operationBody)
                : sessions.find(sessionId, clock.millis())
                        .switchIfEmpty(Mono.error(() -> new MatrixException(ErrCode.M_UNKNOWN, 400,
                                "Unknown or expired session")))
                        .flatMap(s -> bind(s, step, operationBody));
        return session.flatMap(found -> {
            Set<String> completed = new LinkedHashSet<>(mapper.readValue(found.completedJson(), STRING_LIST));
            if (flowDone(step.flows(), completed)) {
                // A retry of a completed operation runs as it was authorised: with the values it had then.
                return Mono.just(completed(found));
            }
            return remember(found, step.remember()).flatMap(s -> attempt(s, completed, step, auth, type));
        });
    }

    /** Attempts the stage {@code type} names, or answers the challenge again when no stage is named. */
    private Mono<Completed> attempt(UiaSessionRow s, Set<String> completed, Step step, JsonNode auth, String type) {
        if (type == null) {
            return challenge(s, step.flows(), null, null);
        }
        UiaStage stage = step.stages().stream().filter(st -> st.type().equals(type)).findFirst().orElse(null);
        if (stage == null || step.flows().stream().noneMatch(f -> f.contains(type))) {
            return challenge(s, step.flows(), ErrCode.M_UNKNOWN.name(), "Unsupported authentication type " + type);
        }
        return stage.attempt(auth, step.userId())
                .flatMap(values -> record(s, completed, type, values, step.flows()))
                .onErrorResume(UiaStage.StageFailed.class,
                        f -> challenge(s, step.flows(), f.errcode(), f.getMessage()));
    }

    /**
     * Whether the body continues a session ({@code auth.session} is given), so its operation's parameters may be
     * left out and taken from the session's first request.
     */
    public static boolean continues(JsonNode body) {
        JsonNode auth = JsonFields.optionalObject(body, "auth");
        return auth != null && JsonFields.optionalString(auth, "session") != null;
    }

    /** Adds values to a session's params (e.g. the user a registration created, so a retry returns the same). */
    public Mono<Void> remember(String sessionId, Map<String, String> values) {
        return sessions.find(sessionId, clock.millis()).flatMap(s -> remember(s, values)).then();
    }

    /**
     * Checks that a continued session is the caller's and for this operation. Emits it with the body to use: the
     * stored one when this request has nothing but auth, the new one for a registration that changed it.
     */
    private Mono<UiaSessionRow> bind(UiaSessionRow s, Step step, ObjectNode body) {
        if (!Objects.equals(s.userId(), step.userId())) {
            return Mono.error(MatrixException.forbidden("This authentication session belongs to another user"));
        }
        if (!s.purpose().equals(step.purpose()) || !s.method().equals(step.request().method().name())
                || !s.uri().equals(path(step.request()))) {
            return Mono.error(MatrixException.forbidden(
                    "Requested operation has changed during the UI authentication session"));
        }
        if (body.isEmpty()) {
            return Mono.just(s);
        }
        String json = mapper.writeValueAsString(body);
        if (mapper.readTree(s.bodyJson()).equals(body)) {
            return Mono.just(s);
        }
        if (!REGISTER.equals(step.purpose())) {
            return Mono.error(MatrixException.forbidden(
                    "Requested operation has changed during the UI authentication session"));
        }
        return sessions.updateBody(s.sessionId(), json).thenReturn(withBody(s, json));
    }

    private Mono<UiaSessionRow> remember(UiaSessionRow s, Map<String, String> values) {
        if (values.isEmpty()) {
            return Mono.just(s);
        }
        Map<String, String> params = new LinkedHashMap<>(mapper.readValue(s.paramsJson(), STRING_MAP));
        params.putAll(values);
        String paramsJson = mapper.writeValueAsString(params);
        return sessions.update(s.sessionId(), s.completedJson(), paramsJson).thenReturn(new UiaSessionRow(
                s.sessionId(), s.purpose(), s.userId(), s.completedJson(), paramsJson, s.expiresTs(), s.method(),
                s.uri(), s.bodyJson()));
    }

    private Mono<Completed> record(UiaSessionRow s, Set<String> completed, String type, Map<String, String> values,
            List<List<String>> flows) {
        completed.add(type);
        Map<String, String> params = new LinkedHashMap<>(mapper.readValue(s.paramsJson(), STRING_MAP));
        params.putAll(values);
        UiaSessionRow updated = new UiaSessionRow(s.sessionId(), s.purpose(), s.userId(),
                mapper.writeValueAsString(completed), mapper.writeValueAsString(params), s.expiresTs(), s.method(),
                s.uri(), s.bodyJson());
        Mono<Long> write = sessions.update(s.sessionId(), updated.completedJson(), updated.paramsJson());
        return flowDone(flows, completed) ? write.thenReturn(completed(updated))
                : write.then(challenge(updated, flows, null, null));
    }

    private static boolean flowDone(List<List<String>> flows, Set<String> completed) {
        return flows.stream().anyMatch(completed::containsAll);
    }

    private Completed completed(UiaSessionRow s) {
        return new Completed(s.sessionId(), mapper.readValue(s.paramsJson(), STRING_MAP),
                mapper.readTree(s.bodyJson()));
    }

    private Mono<UiaSessionRow> newSession(Step step, ObjectNode body) {
        long now = clock.millis();
        UiaSessionRow row = new UiaSessionRow(SecretTokens.opaqueId(), step.purpose(), step.userId(), "[]", "{}",
                now + settings.uiaSessionLifetime().toMillis(), step.request().method().name(), path(step.request()),
                mapper.writeValueAsString(body));
        return sessions.deleteExpired(now).then(sessions.create(row, now)).thenReturn(row);
    }

    private static UiaSessionRow withBody(UiaSessionRow s, String bodyJson) {
        return new UiaSessionRow(s.sessionId(), s.purpose(), s.userId(), s.completedJson(), s.paramsJson(),
                s.expiresTs(), s.method(), s.uri(), bodyJson);
    }

    private static String path(ServerRequest request) {
        return request.uri().getRawPath();
    }

    private ObjectNode withoutSecrets(JsonNode body) {
        ObjectNode copy = body != null && body.isObject() ? ((ObjectNode) body).deepCopy() : mapper.createObjectNode();
        SECRET_FIELDS.forEach(copy::remove);
        return copy;
    }

    private <T> Mono<T> challenge(UiaSessionRow s, List<List<String>> flows, String errcode, String error) {
        Map<String, Object> body = new LinkedHashMap<>();
        List<Map<String, Object>> flowList = new ArrayList<>();
        flows.forEach(f -> flowList.add(Map.of("stages", f)));
        body.put("flows", flowList);
        body.put("params", Map.of());
        body.put("session", s.sessionId());
        List<String> completed = mapper.readValue(s.completedJson(), STRING_LIST);
        if (!completed.isEmpty()) {
            body.put("completed", completed);
        }
        if (errcode != null) {
            body.put("errcode", errcode);
            body.put("error", error);
        }
        return Mono.error(new UiaChallenge(body));
    }
}
