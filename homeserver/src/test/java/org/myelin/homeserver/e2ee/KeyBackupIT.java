package org.myelin.homeserver.e2ee;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.Accounts.Session;
import org.springframework.http.HttpMethod;

/** Server-side key backups: versions, sessions in them, which copy of a session wins, and the failure paths. */
class KeyBackupIT extends E2eeIT {

    private static final String VERSION = V3 + "/room_keys/version";
    private static final String KEYS = V3 + "/room_keys/keys";
    private static final String ALGORITHM = "m.megolm_backup.v1.curve25519-aes-sha2";
    private static final String ROOM = "!room:test.local";

    @Test
    void sessionsShouldBeStoredReadAndDeletedWithEtagAndCount() {
        Session alice = user("kba");
        String version = create(alice, "pub1");

        Map<String, Object> current = ok(json(HttpMethod.GET, VERSION, null, alice));
        assertThat(current).containsEntry("version", version).containsEntry("algorithm", ALGORITHM)
                .containsEntry("count", 0);
        assertThat(at(current, "auth_data", "public_key")).isEqualTo("pub1");

        Map<String, Object> put = ok(json(HttpMethod.PUT, KEYS + "?version=" + version, "{\"rooms\":{\"" + ROOM
                + "\":{\"sessions\":{\"s1\":" + session(1, 0, false, "a") + ",\"s2\":" + session(0, 0, false, "b")
                + "}}}}", alice));
        assertThat(put).containsEntry("count", 2);
        String etag = (String) put.get("etag");
        Map<String, Object> one = ok(json(HttpMethod.PUT, KEYS + "/" + ROOM + "/s3?version=" + version,
                session(0, 0, true, "c"), alice));
        assertThat(one).containsEntry("count", 3);
        assertThat(one.get("etag")).isNotEqualTo(etag);

        assertThat(mapAt(ok(json(HttpMethod.GET, KEYS + "?version=" + version, null, alice)), "rooms", ROOM,
                "sessions")).containsOnlyKeys("s1", "s2", "s3");
        assertThat(mapAt(ok(json(HttpMethod.GET, KEYS + "/" + ROOM + "?version=" + version, null, alice)),
                "sessions")).containsOnlyKeys("s1", "s2", "s3");
        assertThat(ok(json(HttpMethod.GET, KEYS + "/!other:test.local?version=" + version, null, alice)))
                .isEqualTo(Map.of("sessions", Map.of()));
        assertThat(ok(json(HttpMethod.GET, KEYS + "/" + ROOM + "/s3?version=" + version, null, alice)))
                .containsEntry("is_verified", true).containsEntry("first_message_index", 0);
        expectError(json(HttpMethod.GET, KEYS + "/" + ROOM + "/nope?version=" + version, null, alice), 404,
                "M_NOT_FOUND");

        assertThat(ok(json(HttpMethod.DELETE, KEYS + "/" + ROOM + "/s3?version=" + version, null, alice)))
                .containsEntry("count", 2);
        assertThat(ok(json(HttpMethod.DELETE, KEYS + "?version=" + version, null, alice)))
                .containsEntry("count", 0);
    }

    @Test
    void theBetterCopyOfASessionShouldWin() {
        Session alice = user("kbb");
        String version = create(alice, "pub");
        String uri = KEYS + "/" + ROOM + "/s?version=" + version;
        ok(json(HttpMethod.PUT, uri, session(5, 2, false, "first"), alice));

        ok(json(HttpMethod.PUT, uri, session(6, 0, false, "later index"), alice));
        assertThat(stored(alice, uri)).isEqualTo("first");
        ok(json(HttpMethod.PUT, uri, session(5, 1, false, "fewer forwards"), alice));
        assertThat(stored(alice, uri)).isEqualTo("fewer forwards");
        ok(json(HttpMethod.PUT, uri, session(3, 1, false, "lower index"), alice));
        assertThat(stored(alice, uri)).isEqualTo("lower index");
        ok(json(HttpMethod.PUT, uri, session(9, 9, true, "verified"), alice));
        assertThat(stored(alice, uri)).isEqualTo("verified");
        ok(json(HttpMethod.PUT, uri, session(0, 0, false, "unverified"), alice));
        assertThat(stored(alice, uri)).as("verified beats everything").isEqualTo("verified");
    }

    @Test
    void onlyTheCurrentVersionShouldTakeKeysAndANewVersionSupersedes() {
        Session alice = user("kbc");
        Session bob = user("kbd");
        expectError(json(HttpMethod.GET, VERSION, null, alice), 404, "M_NOT_FOUND");
        expectError(json(HttpMethod.PUT, KEYS + "/" + ROOM + "/s?version=1", session(0, 0, false, "x"), alice),
                404, "M_NOT_FOUND");
        String old = create(alice, "old");
        String current = create(alice, "new");
        assertThat(ok(json(HttpMethod.GET, VERSION, null, alice))).containsEntry("version", current);

        Map<String, Object> wrong = expectError(json(HttpMethod.PUT, KEYS + "/" + ROOM + "/s?version=" + old,
                session(0, 0, false, "x"), alice), 403, "M_WRONG_ROOM_KEYS_VERSION");
        assertThat(wrong).containsEntry("current_version", current);
        expectError(json(HttpMethod.PUT, KEYS + "/" + ROOM + "/s", session(0, 0, false, "x"), alice), 400,
                "M_MISSING_PARAM");
        expectError(json(HttpMethod.GET, KEYS, null, alice), 400, "M_MISSING_PARAM");
        expectError(json(HttpMethod.PUT, KEYS + "/" + ROOM + "/s?version=" + current, "{\"first_message_index\":0}",
                alice), 400, "M_MISSING_PARAM");
        expectError(json(HttpMethod.PUT, KEYS + "/" + ROOM + "/s?version=" + current,
                session(0, 0, false, "x").replace("false", "\"no\""), alice), 400, "M_BAD_JSON");
        expectError(json(HttpMethod.PUT, KEYS + "/" + ROOM + "/s?version=" + current,
                session(-1, 0, false, "x"), alice), 400, "M_BAD_JSON");
        expectError(json(HttpMethod.PUT, KEYS + "/notaroom/s?version=" + current, session(0, 0, false, "x"),
                alice), 400, "M_INVALID_PARAM");
        expectError(json(HttpMethod.GET, VERSION + "/" + current, null, bob), 404, "M_NOT_FOUND");
        assertThat(mapAt(ok(json(HttpMethod.GET, KEYS + "?version=" + current, null, alice)), "rooms")).isEmpty();
    }

    @Test
    void versionsShouldBeUpdatedAndDeletedAsTheSpecSays() {
        Session alice = user("kbe");
        String version = create(alice, "pub");

        ok(json(HttpMethod.PUT, VERSION + "/" + version, "{\"algorithm\":\"" + ALGORITHM
                + "\",\"auth_data\":{\"public_key\":\"changed\"},\"version\":\"" + version + "\"}", alice));
        assertThat(at(ok(json(HttpMethod.GET, VERSION + "/" + version, null, alice)), "auth_data", "public_key"))
                .isEqualTo("changed");
        expectError(json(HttpMethod.PUT, VERSION + "/" + version, "{\"algorithm\":\"other\",\"auth_data\":{}}",
                alice), 400, "M_INVALID_PARAM");
        expectError(json(HttpMethod.PUT, VERSION + "/" + version, "{\"algorithm\":\"" + ALGORITHM
                + "\",\"auth_data\":{},\"version\":\"999\"}", alice), 400, "M_INVALID_PARAM");
        expectError(json(HttpMethod.PUT, VERSION + "/999999", "{\"algorithm\":\"" + ALGORITHM
                + "\",\"auth_data\":{}}", alice), 404, "M_NOT_FOUND");
        expectError(json(HttpMethod.POST, VERSION, "{\"algorithm\":\"" + ALGORITHM + "\"}", alice), 400,
                "M_MISSING_PARAM");
        expectError(json(HttpMethod.POST, VERSION, "{\"algorithm\":1,\"auth_data\":{}}", alice), 400, "M_BAD_JSON");

        ok(json(HttpMethod.PUT, KEYS + "/" + ROOM + "/s?version=" + version, session(0, 0, false, "x"), alice));
        ok(json(HttpMethod.DELETE, VERSION + "/" + version, null, alice));
        ok(json(HttpMethod.DELETE, VERSION + "/" + version, null, alice));
        expectError(json(HttpMethod.GET, VERSION + "/" + version, null, alice), 404, "M_NOT_FOUND");
        expectError(json(HttpMethod.GET, VERSION, null, alice), 404, "M_NOT_FOUND");
        expectError(json(HttpMethod.DELETE, VERSION + "/999999", null, alice), 404, "M_NOT_FOUND");
        expectError(json(HttpMethod.GET, KEYS + "?version=" + version, null, alice), 404, "M_NOT_FOUND");
    }

    private String create(Session s, String publicKey) {
        return (String) ok(json(HttpMethod.POST, VERSION, "{\"algorithm\":\"" + ALGORITHM
                + "\",\"auth_data\":{\"public_key\":\"" + publicKey + "\"}}", s)).get("version");
    }

    private String stored(Session s, String uri) {
        return (String) at(ok(json(HttpMethod.GET, uri, null, s)), "session_data", "ciphertext");
    }

    private static String session(int index, int forwarded, boolean verified, String ciphertext) {
        return "{\"first_message_index\":" + index + ",\"forwarded_count\":" + forwarded + ",\"is_verified\":"
                + verified + ",\"session_data\":{\"ciphertext\":\"" + ciphertext + "\"}}";
    }
}
