package org.myelin.homeserver.room;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.MatrixErrors;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Room requests through the real HTTP API, as a client makes them. */
final class RoomClient {

    static final String V3 = "/_matrix/client/v3";

    private final WebTestClient http;

    RoomClient(WebTestClient http) {
        this.http = http;
    }

    /** Creates a room with {@code body} and returns its ID. */
    String create(Session session, Map<String, Object> body) {
        return (String) MatrixErrors.body(request(HttpMethod.POST, V3 + "/createRoom", session, body)
                .expectStatus().isOk()).get("room_id");
    }

    /** Sends a message and returns its event ID. */
    String send(Session session, String roomId, String txnId, Map<String, Object> content) {
        return (String) MatrixErrors.body(request(HttpMethod.PUT, room(roomId) + "/send/m.room.message/" + txnId,
                session, content).expectStatus().isOk()).get("event_id");
    }

    /** Joins by room ID. */
    void join(Session session, String roomId) {
        MatrixErrors.body(request(HttpMethod.POST, room(roomId) + "/join", session, Map.of())
                .expectStatus().isOk());
    }

    /** POST /join/{roomIdOrAlias}, with the alias or ID escaped as a path variable. */
    WebTestClient.ResponseSpec joinByIdOrAlias(Session session, String roomIdOrAlias) {
        return http.post().uri(V3 + "/join/{target}", roomIdOrAlias).header("Authorization", session.bearer())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of()).exchange();
    }

    /** Invites {@code userId}. */
    void invite(Session session, String roomId, String userId) {
        MatrixErrors.body(request(HttpMethod.POST, room(roomId) + "/invite", session, Map.of("user_id", userId))
                .expectStatus().isOk());
    }

    /**
     * Any request with a JSON body (or none, when {@code body} is null); {@code uriVariables} fill {@code {...}}
     * placeholders in {@code uri}, escaped.
     */
    WebTestClient.ResponseSpec request(HttpMethod method, String uri, Session session, Object body,
            Object... uriVariables) {
        WebTestClient.RequestBodySpec spec = http.method(method).uri(uri, uriVariables);
        if (session != null) {
            spec = spec.header("Authorization", session.bearer());
        }
        return body == null ? spec.exchange() : spec.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    /** A raw body, for malformed-JSON tests. */
    WebTestClient.ResponseSpec raw(HttpMethod method, String uri, Session session, String body) {
        return http.method(method).uri(uri).header("Authorization", session.bearer())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    /** A GET whose body is a JSON array. */
    List<Map<String, Object>> getArray(String uri, Session session) {
        return http.get().uri(uri).header("Authorization", session.bearer()).exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() { }).returnResult()
                .getResponseBody();
    }

    /** GET /members (with {@code query}, e.g. {@code ?membership=ban}) as {@code viewer}: membership by user ID. */
    @SuppressWarnings("unchecked")
    Map<String, Object> memberships(Session viewer, String roomId, String query) {
        List<Map<String, Object>> chunk = (List<Map<String, Object>>) MatrixErrors.body(request(HttpMethod.GET,
                room(roomId) + "/members" + query, viewer, null).expectStatus().isOk()).get("chunk");
        Map<String, Object> out = new LinkedHashMap<>();
        chunk.forEach(e -> out.put((String) e.get("state_key"),
                ((Map<String, Object>) e.get("content")).get("membership")));
        return out;
    }

    /** The path of a room (room IDs only hold characters legal in a path segment). */
    static String room(String roomId) {
        return V3 + "/rooms/" + roomId;
    }
}
