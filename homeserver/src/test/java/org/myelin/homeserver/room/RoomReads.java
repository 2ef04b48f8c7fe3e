package org.myelin.homeserver.room;

import java.util.List;
import java.util.Map;

import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.MatrixErrors;
import org.springframework.http.HttpMethod;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Reads and helpers shared by the history visibility, redaction and context/relations tests. */
final class RoomReads {

    static final String V1 = "/_matrix/client/v1";

    private final RoomClient rooms;

    RoomReads(RoomClient rooms) {
        this.rooms = rooms;
    }

    /** Creates a public room with the given history_visibility (and room version, when not null). */
    String roomWithVisibility(Session creator, String visibility, String version) {
        Map<String, Object> hv = Map.of("type", "m.room.history_visibility", "state_key", "",
                "content", Map.of("history_visibility", visibility));
        return version == null
                ? rooms.create(creator, Map.of("preset", "public_chat", "initial_state", List.of(hv)))
                : rooms.create(creator, Map.of("preset", "public_chat", "initial_state", List.of(hv),
                        "room_version", version));
    }

    WebTestClient.ResponseSpec get(Session session, String uri, Object... vars) {
        return rooms.request(HttpMethod.GET, uri, session, null, vars);
    }

    Map<String, Object> ok(Session session, String uri, Object... vars) {
        return MatrixErrors.body(get(session, uri, vars).expectStatus().isOk());
    }

    /** The bodies of the m.room.message events /messages (dir=b, up to 100) returns, newest first. */
    List<Object> messageBodies(Session session, String roomId) {
        return bodies(ok(session, RoomClient.room(roomId) + "/messages?dir=b&limit=100"), "chunk");
    }

    /** The content.body of each m.room.message in the list {@code field} of {@code body}. */
    @SuppressWarnings("unchecked")
    static List<Object> bodies(Map<String, Object> body, String field) {
        return ((List<Map<String, Object>>) body.get(field)).stream()
                .filter(e -> "m.room.message".equals(e.get("type")))
                .map(e -> ((Map<String, Object>) e.get("content")).get("body")).toList();
    }

    /** The event_id of each event in the list {@code field} of {@code body}. */
    @SuppressWarnings("unchecked")
    static List<Object> ids(Map<String, Object> body, String field) {
        return ((List<Map<String, Object>>) body.get(field)).stream().map(e -> e.get("event_id")).toList();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> unsigned(Map<String, Object> event) {
        return (Map<String, Object>) event.get("unsigned");
    }
}
