package org.myelin.homeserver.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;
import org.springframework.http.MediaType;

/**
 * Older clients through the real server: the r0.6.1 endpoints under {@code /_matrix/client/r0} and
 * {@code /_matrix/media/r0} (and nothing newer there), POST /send without a transaction ID, /versions listing the r0
 * releases, and the third-party lookups with no protocols.
 */
class CompatibilityIT extends HomeserverIT {

    private static final String R0 = "/_matrix/client/r0";

    private Session alice;

    @BeforeEach
    void user() {
        alice = accounts.register(unique("alice"), "pw-alice-1");
    }

    @Test
    @SuppressWarnings("unchecked")
    void r0EndpointsAnswerLikeTheirV3Twins() {
        assertThat(ok(get(R0 + "/account/whoami", alice.accessToken()))).containsEntry("user_id", alice.userId());
        String roomId = (String) ok(post(R0 + "/createRoom", Map.of("name", "old"), alice.accessToken()))
                .get("room_id");
        String eventId = (String) ok(http.put().uri(R0 + "/rooms/{r}/send/m.room.message/t1", roomId)
                .header("Authorization", alice.bearer()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("msgtype", "m.text", "body", "hello r0")).exchange()).get("event_id");
        assertThat(ok(get(R0 + "/rooms/" + roomId + "/event/" + eventId, alice.accessToken())))
                .containsEntry("event_id", eventId);
        assertThat(ok(get(R0 + "/rooms/" + roomId + "/state/m.room.name/", alice.accessToken())))
                .containsEntry("name", "old");
        assertThat(ok(get(R0 + "/sync", alice.accessToken()))).containsKey("next_batch");
        assertThat(ok(get(R0 + "/joined_rooms", alice.accessToken())).get("joined_rooms").toString())
                .contains(roomId);
        assertThat(ok(get("/_matrix/media/r0/config", alice.accessToken()))).containsKey("m.upload.size");
        assertThat((List<String>) ok(get("/_matrix/client/versions", null)).get("versions"))
                .contains("r0.6.1", "v1.19");
        expectError(get(R0 + "/account/whoami", null), 401, "M_MISSING_TOKEN");
    }

    @Test
    void anR0UploadHasTheUploadSizeLimitNotTheJsonOne() {
        byte[] body = new byte[1536 * 1024];
        String uri = (String) ok(http.post().uri("/_matrix/media/r0/upload?filename=big.bin")
                .header("Authorization", alice.bearer()).contentType(MediaType.APPLICATION_OCTET_STREAM)
                .bodyValue(body).exchange()).get("content_uri");
        assertThat(uri).startsWith("mxc://test.local/");
        expectError(http.post().uri(R0 + "/createRoom").header("Authorization", alice.bearer())
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"name\":\"" + "x".repeat(1536 * 1024) + "\"}")
                .exchange(), 413, "M_TOO_LARGE");
    }

    @Test
    void endpointsTheSpecAddedAfterR0AreNotUnderR0() {
        String roomId = (String) ok(post(R0 + "/createRoom", Map.of(), alice.accessToken())).get("room_id");
        expectError(get(R0 + "/room_keys/version", alice.accessToken()), 404, "M_UNRECOGNIZED");
        expectError(post(R0 + "/keys/device_signing/upload", Map.of(), alice.accessToken()), 404,
                "M_UNRECOGNIZED");
        expectError(post(R0 + "/rooms/" + roomId + "/report", Map.of("reason", "x"), alice.accessToken()), 404,
                "M_UNRECOGNIZED");
        expectError(get("/_matrix/client/r0/rooms/" + roomId + "/hierarchy", alice.accessToken()), 404,
                "M_UNRECOGNIZED");
        expectError(post(R0 + "/refresh", Map.of("refresh_token", "x"), null), 404, "M_UNRECOGNIZED");
    }

    @Test
    void sendWithoutATransactionIdSendsEachTime() {
        String roomId = (String) ok(post(R0 + "/createRoom", Map.of(), alice.accessToken())).get("room_id");
        Map<String, Object> message = Map.of("msgtype", "m.text", "body", "no txn");
        String first = (String) ok(post(R0 + "/rooms/" + roomId + "/send/m.room.message", message,
                alice.accessToken())).get("event_id");
        String second = (String) ok(post("/_matrix/client/v3/rooms/" + roomId + "/send/m.room.message", message,
                alice.accessToken())).get("event_id");
        assertThat(first).isNotEqualTo(second);
        assertThat(ok(get(R0 + "/rooms/" + roomId + "/event/" + second, alice.accessToken())))
                .containsEntry("content", message);
        expectError(http.post().uri(R0 + "/rooms/{r}/send/m.room.message", roomId)
                .header("Authorization", alice.bearer()).contentType(MediaType.APPLICATION_JSON).bodyValue("[1]")
                .exchange(), 400, "M_BAD_JSON");
        expectError(post(R0 + "/rooms/!unknown:test.local/send/m.room.message", message, alice.accessToken()), 403,
                "M_FORBIDDEN");
    }

    @Test
    void thirdPartyLookupsKnowNoProtocols() {
        for (String prefix : new String[] {"/_matrix/client/v3", R0}) {
            assertThat(ok(get(prefix + "/thirdparty/protocols", alice.accessToken()))).isEmpty();
            expectError(get(prefix + "/thirdparty/protocol/irc", alice.accessToken()), 404, "M_NOT_FOUND");
            expectError(get(prefix + "/thirdparty/location/irc?searchFields=x", alice.accessToken()), 404,
                    "M_NOT_FOUND");
            expectError(get(prefix + "/thirdparty/user/irc", alice.accessToken()), 404, "M_NOT_FOUND");
            expectError(http.get().uri(prefix + "/thirdparty/location?alias={a}", "#room:test.local")
                    .header("Authorization", alice.bearer()).exchange(), 404, "M_NOT_FOUND");
            expectError(get(prefix + "/thirdparty/location", alice.accessToken()), 400, "M_MISSING_PARAM");
            expectError(get(prefix + "/thirdparty/user?userid=%40a%3Atest.local", alice.accessToken()), 404,
                    "M_NOT_FOUND");
            expectError(get(prefix + "/thirdparty/user", alice.accessToken()), 400, "M_MISSING_PARAM");
            expectError(get(prefix + "/thirdparty/protocols", null), 401, "M_MISSING_TOKEN");
        }
    }
}
