package org.myelin.homeserver.slidingsync;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.MatrixErrors;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Sliding sync requests and the room writes around them, through the real HTTP API, as a client makes them. */
final class SlidingClient {

    static final String PATH = "/_matrix/client/unstable/org.matrix.simplified_msc3575/sync";
    static final String V3 = "/_matrix/client/v3";

    private final WebTestClient http;
    private int txn;

    SlidingClient(WebTestClient http) {
        this.http = http;
    }

    /** A sliding sync request; {@code pos} and {@code timeout} are left out when null; expects 200. */
    Map<String, Object> sync(Session session, Map<String, Object> body, String pos, Long timeout) {
        return MatrixErrors.body(request(session, body, pos, timeout).expectStatus().isOk());
    }

    WebTestClient.ResponseSpec request(Session session, Object body, String pos, Long timeout) {
        StringBuilder uri = new StringBuilder(PATH);
        Map<String, Object> values = new HashMap<>();
        if (pos != null) {
            uri.append("?pos={pos}");
            values.put("pos", pos);
        }
        if (timeout != null) {
            uri.append(pos == null ? '?' : '&').append("timeout={timeout}");
            values.put("timeout", timeout);
        }
        WebTestClient.RequestBodySpec spec = http.post().uri(uri.toString(), values)
                .contentType(MediaType.APPLICATION_JSON);
        if (session != null) {
            spec = spec.header("Authorization", session.bearer());
        }
        return body instanceof String raw ? spec.bodyValue(raw).exchange() : spec.bodyValue(body).exchange();
    }

    /** A list of {@code ranges} with a config. */
    static Map<String, Object> list(List<List<Integer>> ranges, int timelineLimit, List<List<String>> requiredState,
            Map<String, Object> filters) {
        Map<String, Object> list = new HashMap<>(Map.of("ranges", ranges, "timeline_limit", timelineLimit,
                "required_state", requiredState));
        if (filters != null) {
            list.put("filters", filters);
        }
        return list;
    }

    /** A request body of lists only. */
    static Map<String, Object> lists(Map<String, Object> lists) {
        return Map.of("lists", lists);
    }

    String createRoom(Session session, Map<String, Object> body) {
        return (String) ok(write(HttpMethod.POST, V3 + "/createRoom", session, body)).get("room_id");
    }

    String send(Session session, String roomId, String text) {
        return send(session, roomId, Map.of("msgtype", "m.text", "body", text));
    }

    String send(Session session, String roomId, Map<String, Object> content) {
        return (String) ok(write(HttpMethod.PUT, V3 + "/rooms/" + roomId + "/send/m.room.message/t" + (++txn),
                session, content)).get("event_id");
    }

    String state(Session session, String roomId, String type, String stateKey, Map<String, Object> content) {
        return (String) ok(write(HttpMethod.PUT, V3 + "/rooms/" + roomId + "/state/" + type + "/" + stateKey,
                session, content)).get("event_id");
    }

    void membership(Session session, String roomId, String action, Map<String, Object> body) {
        ok(write(HttpMethod.POST, V3 + "/rooms/" + roomId + "/" + action, session, body));
    }

    void accountData(Session session, String type, Map<String, Object> content) {
        ok(write(HttpMethod.PUT, V3 + "/user/" + session.userId() + "/account_data/" + type, session, content));
    }

    void roomAccountData(Session session, String roomId, String type, Map<String, Object> content) {
        ok(write(HttpMethod.PUT, V3 + "/user/" + session.userId() + "/rooms/" + roomId + "/account_data/" + type,
                session, content));
    }

    void tag(Session session, String roomId, String tag) {
        ok(write(HttpMethod.PUT, V3 + "/user/" + session.userId() + "/rooms/" + roomId + "/tags/" + tag, session,
                Map.of()));
    }

    void receipt(Session session, String roomId, String eventId) {
        ok(write(HttpMethod.POST, V3 + "/rooms/" + roomId + "/receipt/m.read/" + eventId, session, Map.of()));
    }

    void typing(Session session, String roomId) {
        ok(write(HttpMethod.PUT, V3 + "/rooms/" + roomId + "/typing/" + session.userId(), session,
                Map.of("typing", true, "timeout", 30000)));
    }

    void toDevice(Session from, Session to, String type, Map<String, Object> content) {
        ok(write(HttpMethod.PUT, V3 + "/sendToDevice/" + type + "/d" + (++txn), from,
                Map.of("messages", Map.of(to.userId(), Map.of(to.deviceId(), content)))));
    }

    void uploadOneTimeKeys(Session session, int count) {
        Map<String, Object> keys = new HashMap<>();
        for (int i = 0; i < count; i++) {
            keys.put("signed_curve25519:K" + i, Map.of("key", "key" + i, "signatures", Map.of()));
        }
        ok(write(HttpMethod.POST, V3 + "/keys/upload", session, Map.of("one_time_keys", keys)));
    }

    WebTestClient.ResponseSpec write(HttpMethod method, String uri, Session session, Object body) {
        return http.method(method).uri(uri).header("Authorization", session.bearer())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    static Map<String, Object> ok(WebTestClient.ResponseSpec response) {
        return MatrixErrors.body(response.expectStatus().isOk());
    }

    @SuppressWarnings("unchecked")
    static <T> T at(Object root, String... path) {
        Object current = root;
        for (String key : path) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(key);
        }
        return (T) current;
    }

    /** The bodies of the m.room.message events of a timeline. */
    @SuppressWarnings("unchecked")
    static List<String> bodies(Object timeline) {
        if (timeline == null) {
            return List.of();
        }
        return ((List<Map<String, Object>>) timeline).stream().filter(e -> "m.room.message".equals(e.get("type")))
                .map(e -> (String) ((Map<String, Object>) e.get("content")).get("body")).toList();
    }

    /** The (type, state_key) pairs of state events, as "type|key". */
    @SuppressWarnings("unchecked")
    static List<String> keys(Object events) {
        if (events == null) {
            return List.of();
        }
        return ((List<Map<String, Object>>) events).stream().map(e -> e.get("type") + "|" + e.get("state_key"))
                .toList();
    }
}
