package org.myelin.homeserver.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The shared checks on request bodies: field types and lengths, valid Unicode, and error messages that quote
 * only a short excerpt of what the client sent. Each of these was accepted with 200 before.
 */
class RequestValidationIT extends HomeserverIT {

    private static final String HUNDRED_KB = "x".repeat(100_000);
    private static final String ROOMS = "/_matrix/client/v3/rooms/";

    @Test
    void pushRuleConditionPatternMustBeAString() {
        Session s = accounts.register(unique("pia"), "pw-pia-1");
        Map<String, Object> rule = Map.of("actions", List.of("notify"), "conditions",
                List.of(Map.of("kind", "event_match", "key", "content.body",
                        "pattern", Collections.nCopies(20_000, "a"))));
        expectError(send(HttpMethod.PUT, "/_matrix/client/v3/pushrules/global/override/huge", s, rule), 400,
                "M_BAD_JSON");
        expectError(send(HttpMethod.PUT, "/_matrix/client/v3/pushrules/global/override/count", s,
                Map.of("actions", List.of("notify"), "conditions",
                        List.of(Map.of("kind", "room_member_count", "is", "lots")))), 400, "M_BAD_JSON");
        ok(send(HttpMethod.PUT, "/_matrix/client/v3/pushrules/global/override/fine", s,
                Map.of("actions", List.of("notify"), "conditions", List.of(
                        Map.of("kind", "event_match", "key", "content.body", "pattern", "lunch*"),
                        Map.of("kind", "event_property_is", "key", "content.n", "value", 3),
                        Map.of("kind", "room_member_count", "is", "<=2"),
                        Map.of("kind", "org.example.future")))));
    }

    @Test
    void overlongDeviceNamesStatusMessagesAndReasonsShouldBe400TooLarge() {
        Session s = accounts.register(unique("ned"), "pw-ned-1");
        expectError(send(HttpMethod.PUT, "/_matrix/client/v3/devices/" + s.deviceId(), s,
                Map.of("display_name", HUNDRED_KB)), 400, "M_TOO_LARGE");
        expectError(send(HttpMethod.PUT, "/_matrix/client/v3/presence/" + s.userId() + "/status", s,
                Map.of("presence", "online", "status_msg", HUNDRED_KB)), 400, "M_TOO_LARGE");
        String roomId = createRoom(s);
        String eventId = (String) ok(send(HttpMethod.PUT, ROOMS + roomId + "/send/m.room.message/t1", s,
                Map.of("msgtype", "m.text", "body", "report me"))).get("event_id");
        expectError(send(HttpMethod.POST, ROOMS + roomId + "/report/" + eventId, s,
                Map.of("reason", HUNDRED_KB)), 400, "M_TOO_LARGE");
        expectError(send(HttpMethod.PUT, "/_matrix/client/v3/profile/" + s.userId() + "/displayname", s,
                Map.of("displayname", "n".repeat(257))), 400, "M_TOO_LARGE");
        ok(send(HttpMethod.PUT, "/_matrix/client/v3/devices/" + s.deviceId(), s,
                Map.of("display_name", "d".repeat(100))));
    }

    @Test
    void loneSurrogatesShouldBe400BadJsonAndPairsAccepted() {
        Session s = accounts.register(unique("sue"), "pw-sue-1");
        String send = ROOMS + createRoom(s) + "/send/m.room.message/";
        for (String body : List.of("{\"msgtype\":\"m.text\",\"body\":\"\\ud800\"}",
                "{\"msgtype\":\"m.text\",\"body\":\"a\\udc00b\"}",
                "{\"msgtype\":\"m.text\",\"\\ud83d\":\"key\"}",
                "{\"msgtype\":\"m.text\",\"body\":[\"ok\",\"\\ud83d\\ud83d\"]}")) {
            expectError(raw(HttpMethod.PUT, send + unique("t"), s, body), 400, "M_BAD_JSON");
        }
        assertThat(ok(raw(HttpMethod.PUT, send + unique("t"), s,
                "{\"msgtype\":\"m.text\",\"body\":\"\\ud83d\\ude00\"}"))).containsKey("event_id");
    }

    @Test
    void errorMessagesShouldQuoteOnlyAShortExcerptOfTheInput() {
        Session s = accounts.register(unique("eve"), "pw-eve-1");
        Map<String, Object> error = expectError(send(HttpMethod.PUT,
                "/_matrix/client/v3/pushrules/global/override/echo", s,
                Map.of("actions", List.of("a".repeat(10_000)))), 400, "M_INVALID_PARAM");
        assertThat((String) error.get("error")).hasSizeLessThanOrEqualTo(161);
    }

    private String createRoom(Session s) {
        return (String) ok(post("/_matrix/client/v3/createRoom", Map.of(), s.accessToken())).get("room_id");
    }

    private WebTestClient.ResponseSpec send(HttpMethod method, String uri, Session s, Object body) {
        return http.method(method).uri(uri).contentType(MediaType.APPLICATION_JSON)
                .header("Authorization", s.bearer()).bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec raw(HttpMethod method, String uri, Session s, String json) {
        return send(method, uri, s, json);
    }
}
