package org.myelin.clientapi.e2ee;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.myelin.clientapi.auth.Requester;
import org.myelin.db.e2ee.KeyBackupRepository;
import org.myelin.db.e2ee.KeyBackupRepository.Backup;
import org.myelin.db.e2ee.KeyBackupRepository.Session;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.http.JsonBodies;
import org.myelin.http.JsonFields;
import org.myelin.http.Responses;
import org.myelin.http.TextLimits;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Server-side key backups (https://spec.matrix.org/v1.19/client-server-api/#server-side-key-backups): backup
 * versions under {@code /room_keys/version} and the backed-up sessions under {@code /room_keys/keys}. Keys may only
 * be stored into the current version (403 {@code M_WRONG_ROOM_KEYS_VERSION} naming it otherwise); of two copies of
 * a session the better one is kept ({@link KeyBackupRepository}).
 */
@Component
public class KeyBackupHandler {

    private final JsonBodies bodies;
    private final KeyBackupRepository backups;
    private final ObjectMapper mapper;

    public KeyBackupHandler(JsonBodies bodies, KeyBackupRepository backups, ObjectMapper mapper) {
        this.bodies = bodies;
        this.backups = backups;
        this.mapper = mapper;
    }

    /** POST /room_keys/version: a new backup, which supersedes the current one. */
    public Mono<ServerResponse> create(ServerRequest request, Requester requester) {
        return bodies.object(request).flatMap(body -> {
            String algorithm = JsonFields.requiredString(body, "algorithm", TextLimits.DEFAULT);
            JsonNode authData = requiredObject(body, "auth_data");
            return backups.create(requester.userId(), algorithm, mapper.writeValueAsString(authData));
        }).flatMap(version -> Responses.ok(Map.of("version", String.valueOf(version))));
    }

    /** GET /room_keys/version: the current backup. */
    public Mono<ServerResponse> current(ServerRequest request, Requester requester) {
        return backups.current(requester.userId())
                .switchIfEmpty(Mono.error(() -> MatrixException.notFound("No current backup version")))
                .flatMap(b -> Responses.ok(info(b)));
    }

    /** GET /room_keys/version/{version} */
    public Mono<ServerResponse> get(ServerRequest request, Requester requester) {
        return existing(requester, request.pathVariable("version")).flatMap(b -> Responses.ok(info(b)));
    }

    /** PUT /room_keys/version/{version}: only {@code auth_data} changes. */
    public Mono<ServerResponse> update(ServerRequest request, Requester requester) {
        String version = request.pathVariable("version");
        return bodies.object(request).flatMap(body -> {
            String algorithm = JsonFields.requiredString(body, "algorithm", TextLimits.DEFAULT);
            JsonNode authData = requiredObject(body, "auth_data");
            String bodyVersion = JsonFields.optionalString(body, "version", TextLimits.DEFAULT);
            if (bodyVersion != null && !bodyVersion.equals(version)) {
                throw MatrixException.invalidParam("The version in the body does not match the path");
            }
            return existing(requester, version).flatMap(b -> {
                if (!b.algorithm().equals(algorithm)) {
                    return Mono.error(MatrixException.invalidParam("Algorithm does not match"));
                }
                return backups.updateAuthData(requester.userId(), b.version(), mapper.writeValueAsString(authData));
            });
        }).then(Responses.ok(Map.of()));
    }

    /** DELETE /room_keys/version/{version}: the backup and its keys; deleting a deleted backup succeeds. */
    public Mono<ServerResponse> delete(ServerRequest request, Requester requester) {
        Long version = parseVersion(request.pathVariable("version"));
        if (version == null) {
            return Mono.error(unknownVersion());
        }
        return backups.delete(requester.userId(), version)
                .flatMap(found -> found ? Responses.ok(Map.of()) : Mono.error(unknownVersion()));
    }

    /** PUT /room_keys/keys[/{roomId}[/{sessionId}]] into the current backup. */
    public Mono<ServerResponse> putKeys(ServerRequest request, Requester requester) {
        String roomId = roomId(request);
        String sessionId = sessionId(request);
        return requiredVersion(request).flatMap(version -> bodies.object(request).flatMap(body -> {
            List<Session> sessions = sessions(body, roomId, sessionId);
            return backups.current(requester.userId())
                    .switchIfEmpty(Mono.error(() -> MatrixException.notFound("No current backup version")))
                    .flatMap(current -> {
                        if (current.version() != version) {
                            return Mono.error(new MatrixException(ErrCode.M_WRONG_ROOM_KEYS_VERSION, 403,
                                    "Wrong backup version", Map.of("current_version",
                                            String.valueOf(current.version()))));
                        }
                        return backups.putSessions(requester.userId(), version, sessions)
                                .then(updateResult(requester, version));
                    });
        }));
    }

    /** GET /room_keys/keys[/{roomId}[/{sessionId}]] of an existing backup. */
    public Mono<ServerResponse> getKeys(ServerRequest request, Requester requester) {
        String roomId = roomId(request);
        String sessionId = sessionId(request);
        return requiredVersion(request).flatMap(version -> existing(requester, String.valueOf(version)))
                .flatMap(b -> backups.sessions(requester.userId(), b.version(), roomId, sessionId))
                .flatMap(sessions -> {
                    if (sessionId != null) {
                        return sessions.isEmpty() ? Mono.error(MatrixException.notFound("No room key found"))
                                : Responses.ok(sessionJson(sessions.get(0)));
                    }
                    ObjectNode rooms = mapper.createObjectNode();
                    for (Session s : sessions) {
                        rooms.withObjectProperty(s.roomId()).withObjectProperty("sessions")
                                .set(s.sessionId(), sessionJson(s));
                    }
                    if (roomId == null) {
                        ObjectNode out = mapper.createObjectNode();
                        out.set("rooms", rooms);
                        return Responses.ok(out);
                    }
                    JsonNode room = rooms.get(roomId);
                    if (room == null) {
                        ObjectNode empty = mapper.createObjectNode();
                        empty.putObject("sessions");
                        room = empty;
                    }
                    return Responses.ok(room);
                });
    }

    /** DELETE /room_keys/keys[/{roomId}[/{sessionId}]] of an existing backup. */
    public Mono<ServerResponse> deleteKeys(ServerRequest request, Requester requester) {
        String roomId = roomId(request);
        String sessionId = sessionId(request);
        return requiredVersion(request).flatMap(version -> existing(requester, String.valueOf(version)))
                .flatMap(b -> backups.deleteSessions(requester.userId(), b.version(), roomId, sessionId)
                        .then(updateResult(requester, b.version())));
    }

    private Mono<ServerResponse> updateResult(Requester requester, long version) {
        return backups.find(requester.userId(), version).flatMap(b -> Responses.ok(Map.of(
                "etag", String.valueOf(b.etag()), "count", b.count())));
    }

    private Mono<Backup> existing(Requester requester, String version) {
        Long parsed = parseVersion(version);
        return parsed == null ? Mono.error(unknownVersion()) : backups.find(requester.userId(), parsed)
                .switchIfEmpty(Mono.error(KeyBackupHandler::unknownVersion));
    }

    private Map<String, Object> info(Backup b) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("algorithm", b.algorithm());
        out.put("auth_data", mapper.readTree(b.authDataJson()));
        out.put("count", b.count());
        out.put("etag", String.valueOf(b.etag()));
        out.put("version", String.valueOf(b.version()));
        return out;
    }

    private ObjectNode sessionJson(Session s) {
        ObjectNode out = mapper.createObjectNode().put("first_message_index", s.firstMessageIndex())
                .put("forwarded_count", s.forwardedCount()).put("is_verified", s.isVerified());
        out.set("session_data", mapper.readTree(s.sessionDataJson()));
        return out;
    }

    /** The sessions of a PUT body: all rooms, one room's {@code sessions}, or one session's data. */
    private List<Session> sessions(JsonNode body, String roomId, String sessionId) {
        List<Session> out = new ArrayList<>();
        if (sessionId != null) {
            out.add(session(roomId, sessionId, body));
        } else if (roomId != null) {
            roomSessions(roomId, body, out);
        } else {
            JsonNode rooms = requiredObject(body, "rooms");
            for (Map.Entry<String, JsonNode> room : rooms.properties()) {
                String id = RoomId.parse(room.getKey()).toString();
                if (!room.getValue().isObject()) {
                    throw MatrixException.badJson("rooms." + id + " must be an object");
                }
                roomSessions(id, room.getValue(), out);
            }
        }
        return out;
    }

    private void roomSessions(String roomId, JsonNode room, List<Session> out) {
        for (Map.Entry<String, JsonNode> s : requiredObject(room, "sessions").properties()) {
            out.add(session(roomId, s.getKey(), s.getValue()));
        }
    }

    private Session session(String roomId, String sessionId, JsonNode data) {
        if (!data.isObject()) {
            throw MatrixException.badJson("Key backup data must be an object");
        }
        if (sessionId.length() > TextLimits.DEFAULT) {
            throw new MatrixException(ErrCode.M_TOO_LARGE, 400, "Session ID too long");
        }
        long index = nonNegative(data, "first_message_index");
        long forwarded = nonNegative(data, "forwarded_count");
        JsonNode verified = data.get("is_verified");
        if (verified == null || verified.isNull()) {
            throw MatrixException.missingParam("Missing parameter: is_verified");
        }
        if (!verified.isBoolean()) {
            throw MatrixException.badJson("is_verified must be a boolean");
        }
        return new Session(roomId, sessionId, index, forwarded, verified.booleanValue(),
                mapper.writeValueAsString(requiredObject(data, "session_data")));
    }

    private static long nonNegative(JsonNode data, String field) {
        JsonNode value = data.get(field);
        if (value == null || value.isNull()) {
            throw MatrixException.missingParam("Missing parameter: " + field);
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
            throw MatrixException.badJson(field + " must be a non-negative integer");
        }
        return value.longValue();
    }

    private static JsonNode requiredObject(JsonNode body, String field) {
        JsonNode value = JsonFields.optionalObject(body, field);
        if (value == null) {
            throw MatrixException.missingParam("Missing parameter: " + field);
        }
        return value;
    }

    private static Mono<Long> requiredVersion(ServerRequest request) {
        String version = request.queryParam("version").filter(v -> !v.isEmpty()).orElse(null);
        if (version == null) {
            return Mono.error(MatrixException.missingParam("Missing parameter: version"));
        }
        Long parsed = parseVersion(version);
        return parsed == null ? Mono.error(unknownVersion()) : Mono.just(parsed);
    }

    private static String roomId(ServerRequest request) {
        return request.pathVariables().containsKey("roomId")
                ? RoomId.parse(request.pathVariable("roomId")).toString() : null;
    }

    private static String sessionId(ServerRequest request) {
        return request.pathVariables().get("sessionId");
    }

    private static Long parseVersion(String version) {
        if (version.isEmpty() || version.length() > 18 || !version.chars().allMatch(Character::isDigit)) {
            return null;
        }
        return Long.parseLong(version);
    }

    private static MatrixException unknownVersion() {
        return MatrixException.notFound("Unknown backup version");
    }
}
