package org.myelin.homeserver.ephemeral;

import java.util.Map;
import java.util.Set;

import org.myelin.clientapi.auth.Requester;
import org.myelin.clientapi.sync.SyncRequest;
import org.myelin.clientapi.sync.SyncResponseBuilder;
import org.myelin.clientapi.sync.SyncStreamSource;
import org.myelin.federation.protocol.filter.Filter;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;
import org.myelin.homeserver.support.MatrixErrors;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Base of the ephemeral stream tests: room set-up through the API, PUT/DELETE, and sources called directly. */
abstract class EphemeralIT extends HomeserverIT {

    static final String V3 = "/_matrix/client/v3";

    Session user(String prefix) {
        return accounts.register(unique(prefix), "pw-" + prefix + "-1");
    }

    String createRoom(Session creator) {
        return (String) ok(post(V3 + "/createRoom", Map.of("preset", "public_chat"), creator.accessToken()))
                .get("room_id");
    }

    void join(Session s, String roomId) {
        ok(post(V3 + "/rooms/" + roomId + "/join", Map.of(), s.accessToken()));
    }

    String send(Session s, String roomId, String text) {
        return (String) ok(request(HttpMethod.PUT, V3 + "/rooms/" + roomId + "/send/m.room.message/" + unique("t"),
                Map.of("msgtype", "m.text", "body", text), s.accessToken())).get("event_id");
    }

    WebTestClient.ResponseSpec put(String uri, Object body, String token) {
        return request(HttpMethod.PUT, uri, body, token);
    }

    WebTestClient.ResponseSpec request(HttpMethod method, String uri, Object body, String token) {
        WebTestClient.RequestBodySpec spec = http.method(method).uri(uri);
        if (token != null) {
            spec = spec.header("Authorization", "Bearer " + token);
        }
        return body == null ? spec.exchange() : spec.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    static Map<String, Object> body(WebTestClient.ResponseSpec response) {
        return MatrixErrors.body(response);
    }

    static SyncRequest syncRequest(Session s, Set<String> joinedRooms) {
        return new SyncRequest(new Requester(s.userId(), s.deviceId(), false, 0), Filter.DEFAULT, joinedRooms, false,
                0, 0);
    }

    /** What {@code source} contributes to {@code s}'s sync over {@code (since, current]}. */
    static SyncResponseBuilder contribute(SyncStreamSource source, SyncRequest request, long since) {
        long upTo = source.currentPosition().block();
        SyncResponseBuilder out = new SyncResponseBuilder();
        source.contribute(request, since, upTo, out).block();
        return out;
    }
}
