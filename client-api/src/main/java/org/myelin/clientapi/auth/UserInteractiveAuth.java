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

import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * User-Interactive Authentication (spec: client-server-api "User-Interactive Authentication API"). A request
 * without {@code auth} gets a 401 naming the flows and a new session; each request with {@code auth} completes one
 * stage; when a whole flow is complete the request proceeds and the session ends. Sessions are stored in the
 * database, so a client may continue on any node.
 */
@Component
public class UserInteractiveAuth {

    /** The values stages stored in the session (e.g. the redeemed registration token). */
    public record Completed(Map<String, String> params) {
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
     * Runs one step of UIA for {@code body}. Emits {@link Completed} when a flow is done; otherwise errors with the
     * {@link UiaChallenge} the client must answer.
     *
     * @param purpose what the session authorises (a session of one purpose cannot be used for another)
     * @param userId  the authenticated user, or null for registration
     * @param flows   the acceptable stage sequences
     * @param stages  the stage implementations by type
     */
    public Mono<Completed> authenticate(JsonNode body, String purpose, String userId, List<List<String>> flows,
            List<UiaStage> stages) {
        JsonNode auth = JsonFields.optionalObject(body, "auth");
        if (auth == null) {
            return newSession(purpose, userId).flatMap(s -> challenge(s, flows, null, null));
        }
        String sessionId = JsonFields.optionalString(auth, "session");
        String type = JsonFields.optionalString(auth, "type");
        Mono<UiaSessionRow> session = sessionId == null ? newSession(purpose, userId)
                : sessions.find(sessionId, clock.millis())
                        .filter(s -> s.purpose().equals(purpose) && Objects.equals(s.userId(), userId))
                        .switchIfEmpty(Mono.error(() -> new MatrixException(ErrCode.M_UNKNOWN, 400,
                                "Unknown or expired session")));
        return session.flatMap(s -> {
            if (type == null) {
                return challenge(s, flows, null, null);
            }
            UiaStage stage = stages.stream().filter(st -> st.type().equals(type)).findFirst().orElse(null);
            if (stage == null || flows.stream().noneMatch(f -> f.contains(type))) {
                return challenge(s, flows, ErrCode.M_UNKNOWN.name(), "Unsupported authentication type " + type);
            }
            return stage.attempt(auth, userId)
                    .flatMap(values -> record(s, type, values, flows))
                    .onErrorResume(UiaStage.StageFailed.class, f -> challenge(s, flows, f.errcode(), f.getMessage()));
        });
    }

    private Mono<Completed> record(UiaSessionRow s, String type, Map<String, String> values,
            List<List<String>> flows) {
        Set<String> completed = new LinkedHashSet<>(mapper.readValue(s.completedJson(), STRING_LIST));
        completed.add(type);
        Map<String, String> params = new LinkedHashMap<>(mapper.readValue(s.paramsJson(), STRING_MAP));
        params.putAll(values);
        if (flows.stream().anyMatch(completed::containsAll)) {
            return sessions.delete(s.sessionId()).thenReturn(new Completed(params));
        }
        UiaSessionRow updated = new UiaSessionRow(s.sessionId(), s.purpose(), s.userId(),
                mapper.writeValueAsString(completed), mapper.writeValueAsString(params), s.expiresTs());
        return sessions.update(s.sessionId(), updated.completedJson(), updated.paramsJson())
                .then(challenge(updated, flows, null, null));
    }

    private Mono<UiaSessionRow> newSession(String purpose, String userId) {
        String id = SecretTokens.opaqueId();
        long now = clock.millis();
        long expires = now + settings.uiaSessionLifetime().toMillis();
        return sessions.deleteExpired(now).then(sessions.create(id, purpose, userId, now, expires))
                .thenReturn(new UiaSessionRow(id, purpose, userId, "[]", "{}", expires));
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
