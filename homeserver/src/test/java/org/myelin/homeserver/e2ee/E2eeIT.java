package org.myelin.homeserver.e2ee;

import java.util.Map;

import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Base of the end-to-end encryption key tests: users, rooms and JSON requests through the real API. */
abstract class E2eeIT extends HomeserverIT {

    static final String V3 = "/_matrix/client/v3";

    Session user(String prefix) {
        return accounts.register(unique(prefix), "pw-" + prefix + "-1");
    }

    TestDevice device(Session s) {
        return new TestDevice(s.userId(), s.deviceId());
    }

    String createRoom(Session creator) {
        return (String) ok(json(HttpMethod.POST, V3 + "/createRoom", "{\"preset\":\"public_chat\"}", creator))
                .get("room_id");
    }

    void membership(Session s, String roomId, String action) {
        ok(json(HttpMethod.POST, V3 + "/rooms/" + roomId + "/" + action, "{}", s));
    }

    /** A request with a JSON text body (or none when {@code body} is null). */
    WebTestClient.ResponseSpec json(HttpMethod method, String uri, Object body, Session s) {
        WebTestClient.RequestBodySpec spec = http.method(method).uri(uri);
        if (s != null) {
            spec = spec.header("Authorization", s.bearer());
        }
        return body == null ? spec.exchange()
                : spec.contentType(MediaType.APPLICATION_JSON).bodyValue(body.toString()).exchange();
    }

    Map<String, Object> upload(Session s, Object body) {
        return ok(json(HttpMethod.POST, V3 + "/keys/upload", body, s));
    }

    Map<String, Object> query(Session s, String userId) {
        return ok(json(HttpMethod.POST, V3 + "/keys/query", "{\"device_keys\":{\"" + userId + "\":[]}}", s));
    }

    /** GET /sync: initial without {@code since}, else a long-poll of at most {@code timeoutMs}. */
    Map<String, Object> sync(Session s, String since, long timeoutMs) {
        String uri = V3 + "/sync?timeout=" + timeoutMs + (since == null ? "" : "&since=" + since);
        return ok(json(HttpMethod.GET, uri, null, s));
    }

    /** The value at {@code path} in nested JSON objects, or null. */
    @SuppressWarnings("unchecked")
    static Object at(Map<String, Object> map, String... path) {
        Object current = map;
        for (String key : path) {
            current = current == null ? null : ((Map<String, Object>) current).get(key);
        }
        return current;
    }

    /** The JSON object at {@code path}, or null. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> mapAt(Map<String, Object> map, String... path) {
        return (Map<String, Object>) at(map, path);
    }
}
