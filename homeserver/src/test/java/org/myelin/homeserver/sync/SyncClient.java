package org.myelin.homeserver.sync;

import java.util.List;
import java.util.Map;

import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.MatrixErrors;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Room writes and /sync reads through the real HTTP API, as a client makes them. */
final class SyncClient {

    static final String V3 = "/_matrix/client/v3";

    private final WebTestClient http;
    private int txn;

    SyncClient(WebTestClient http) {
        this.http = http;
    }

    String createRoom(Session session, Map<String, Object> body) {
        return (String) ok(request(HttpMethod.POST, V3 + "/createRoom", session, body)).get("room_id");
    }

    String send(Session session, String roomId, String text) {
        return (String) ok(request(HttpMethod.PUT, V3 + "/rooms/" + roomId + "/send/m.room.message/t" + (++txn),
                session, Map.of("msgtype", "m.text", "body", text))).get("event_id");
    }

    String state(Session session, String roomId, String type, Map<String, Object> content) {
        return (String) ok(request(HttpMethod.PUT, V3 + "/rooms/" + roomId + "/state/" + type + "/", session,
                content)).get("event_id");
    }

    void membership(Session session, String roomId, String action, Map<String, Object> body) {
        ok(request(HttpMethod.POST, V3 + "/rooms/" + roomId + "/" + action, session, body));
    }

    void knock(Session session, String roomId) {
        ok(request(HttpMethod.POST, V3 + "/knock/" + roomId, session, Map.of()));
    }

    /**
     * A token a long-poll can wait from: an initial sync's, moved past what follows it at once (the user coming
     * online is written just after an initial sync, so the first incremental sync returns at once with it).
     */
    String settledToken(Session session) {
        String initial = (String) sync(session).get("next_batch");
        return (String) sync(session, "since", initial, "timeout", "0").get("next_batch");
    }

    /** GET /sync with query parameters given as name, value, name, value...; expects 200. */
    Map<String, Object> sync(Session session, String... params) {
        return ok(syncRequest(session, params));
    }

    /** GET /sync; parameter values are escaped. */
    WebTestClient.ResponseSpec syncRequest(Session session, String... params) {
        StringBuilder uri = new StringBuilder(V3 + "/sync");
        Map<String, String> values = new java.util.HashMap<>();
        for (int i = 0; i < params.length; i += 2) {
            uri.append(i == 0 ? '?' : '&').append(params[i]).append("={").append(params[i]).append('}');
            values.put(params[i], params[i + 1]);
        }
        WebTestClient.RequestHeadersSpec<?> spec = http.get().uri(uri.toString(), values);
        if (session != null) {
            spec = spec.header("Authorization", session.bearer());
        }
        return spec.exchange();
    }

    WebTestClient.ResponseSpec request(HttpMethod method, String uri, Session session, Object body) {
        WebTestClient.RequestBodySpec spec = http.method(method).uri(uri).header("Authorization", session.bearer());
        return body == null ? spec.exchange() : spec.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    static Map<String, Object> ok(WebTestClient.ResponseSpec response) {
        return MatrixErrors.body(response.expectStatus().isOk());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> at(Map<String, Object> map, String... path) {
        Map<String, Object> current = map;
        for (String key : path) {
            current = (Map<String, Object>) current.get(key);
            if (current == null) {
                return null;
            }
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> events(Map<String, Object> section) {
        return (List<Map<String, Object>>) section.get("events");
    }

    @SuppressWarnings("unchecked")
    static List<String> bodies(List<Map<String, Object>> events) {
        return events.stream().filter(e -> "m.room.message".equals(e.get("type")))
                .map(e -> (String) ((Map<String, Object>) e.get("content")).get("body")).toList();
    }

    /** The (type, state_key) pairs of events, as "type|key". */
    static List<String> keys(List<Map<String, Object>> events) {
        return events.stream().map(e -> e.get("type") + "|" + e.get("state_key")).toList();
    }
}
