package org.myelin.homeserver.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Profiles: displayname, avatar_url and custom fields; only the owner may change them. */
class ProfileIT extends HomeserverIT {

    private static final String PROFILE = "/_matrix/client/v3/profile/";

    @Test
    void profileShouldDefaultTheDisplaynameToTheLocalpart() {
        String name = unique("carol");
        Session s = accounts.register(name, "pw-carol-1");
        assertThat(ok(get(PROFILE + s.userId(), null))).isEqualTo(Map.of("displayname", name));
        assertThat(ok(get(PROFILE + s.userId() + "/displayname", null))).isEqualTo(Map.of("displayname", name));
    }

    @Test
    void displaynameAndAvatarShouldBeSetAndRead() {
        Session s = accounts.register(unique("dave"), "pw-dave-1");
        ok(put(s, s.userId(), "displayname", Map.of("displayname", "Dave D.")));
        ok(put(s, s.userId(), "avatar_url", Map.of("avatar_url", "mxc://test.local/abc123")));
        assertThat(ok(get(PROFILE + s.userId() + "/displayname", null))).isEqualTo(Map.of("displayname", "Dave D."));
        assertThat(ok(get(PROFILE + s.userId() + "/avatar_url", null)))
                .isEqualTo(Map.of("avatar_url", "mxc://test.local/abc123"));
        assertThat(ok(get(PROFILE + s.userId(), s.accessToken()))).isEqualTo(Map.of("displayname", "Dave D.",
                "avatar_url", "mxc://test.local/abc123"));
    }

    @Test
    void customFieldShouldBeSetReadAndDeleted() {
        Session s = accounts.register(unique("erin"), "pw-erin-1");
        ok(put(s, s.userId(), "org.example.x", Map.of("org.example.x", Map.of("nested", List.of(1, "two")))));
        assertThat(ok(get(PROFILE + s.userId() + "/org.example.x", null)))
                .isEqualTo(Map.of("org.example.x", Map.of("nested", List.of(1, "two"))));
        assertThat(ok(get(PROFILE + s.userId(), null))).containsKey("org.example.x");
        ok(http.delete().uri(PROFILE + s.userId() + "/org.example.x").header("Authorization", s.bearer())
                .exchange());
        expectError(get(PROFILE + s.userId() + "/org.example.x", null), 404, "M_NOT_FOUND");
    }

    @Test
    void deletedDisplaynameShouldBe404() {
        Session s = accounts.register(unique("frank"), "pw-frank-1");
        ok(http.delete().uri(PROFILE + s.userId() + "/displayname").header("Authorization", s.bearer())
                .exchange());
        expectError(get(PROFILE + s.userId() + "/displayname", null), 404, "M_NOT_FOUND");
        assertThat(ok(get(PROFILE + s.userId(), null))).doesNotContainKey("displayname");
    }

    @Test
    void unsetFieldShouldBe404NotFound() {
        Session s = accounts.register(unique("grace"), "pw-grace-1");
        expectError(get(PROFILE + s.userId() + "/avatar_url", null), 404, "M_NOT_FOUND");
        expectError(get(PROFILE + s.userId() + "/org.example.never", null), 404, "M_NOT_FOUND");
    }

    @Test
    void anotherUsersProfileShouldBe403Forbidden() {
        Session heidi = accounts.register(unique("heidi"), "pw-heidi-1");
        Session ivan = accounts.register(unique("ivan"), "pw-ivan-1");
        expectError(put(ivan, heidi.userId(), "displayname", Map.of("displayname", "Hacked")), 403, "M_FORBIDDEN");
        expectError(http.delete().uri(PROFILE + heidi.userId() + "/displayname").header("Authorization",
                ivan.bearer()).exchange(), 403, "M_FORBIDDEN");
        assertThat(ok(get(PROFILE + heidi.userId() + "/displayname", null)))
                .isNotEqualTo(Map.of("displayname", "Hacked"));
    }

    @Test
    void profileChangesShouldBe401WithoutAToken() {
        Session s = accounts.register(unique("judy"), "pw-judy-1");
        expectError(http.put().uri(PROFILE + s.userId() + "/displayname").bodyValue(Map.of("displayname", "x"))
                .exchange(), 401, "M_MISSING_TOKEN");
    }

    @Test
    void badKeyShouldBe400InvalidParam() {
        Session s = accounts.register(unique("ken"), "pw-ken-1");
        expectError(put(s, s.userId(), "NotNamespaced", Map.of("NotNamespaced", "x")), 400, "M_INVALID_PARAM");
        expectError(put(s, s.userId(), "nodots", Map.of("nodots", "x")), 400, "M_INVALID_PARAM");
        expectError(http.delete().uri(PROFILE + s.userId() + "/Bad.Key").header("Authorization", s.bearer())
                .exchange(), 400, "M_INVALID_PARAM");
    }

    @Test
    void avatarUrlShouldBe400InvalidParamWhenNotMxc() {
        Session s = accounts.register(unique("leo"), "pw-leo-1");
        expectError(put(s, s.userId(), "avatar_url", Map.of("avatar_url", "https://example.com/a.png")), 400,
                "M_INVALID_PARAM");
    }

    @Test
    void displaynameShouldBe400BadJsonWhenNotAString() {
        Session s = accounts.register(unique("mallory"), "pw-mal-1");
        expectError(put(s, s.userId(), "displayname", Map.of("displayname", 42)), 400, "M_BAD_JSON");
        expectError(put(s, s.userId(), "avatar_url", Map.of("avatar_url", List.of())), 400, "M_BAD_JSON");
    }

    @Test
    void valuesWithNulShouldBe400BadJson() {
        Session s = accounts.register(unique("nul"), "pw-nul-1");
        expectError(put(s, s.userId(), "displayname", Map.of("displayname", "a\u0000b")), 400, "M_BAD_JSON");
        expectError(put(s, s.userId(), "org.example.x", Map.of("org.example.x", Map.of("k\u0000", 1))), 400,
                "M_BAD_JSON");
        expectError(put(s, s.userId(), "org.example.x", Map.of("org.example.x", List.of("\u0000"))), 400,
                "M_BAD_JSON");
    }

    @Test
    void putShouldBe400MissingParamWhenTheBodyLacksTheKey() {
        Session s = accounts.register(unique("nina"), "pw-nina-1");
        expectError(put(s, s.userId(), "displayname", Map.of("something_else", "x")), 400, "M_MISSING_PARAM");
    }

    @Test
    void unknownUserShouldBe404NotFound() {
        expectError(get(PROFILE + "@nobody:test.local", null), 404, "M_NOT_FOUND");
        expectError(get(PROFILE + "@nobody:test.local/displayname", null), 404, "M_NOT_FOUND");
        expectError(get(PROFILE + "@someone:elsewhere.example", null), 404, "M_NOT_FOUND");
    }

    @Test
    void profileShouldBe400ProfileTooLargeWhenOver64KiB() {
        Session s = accounts.register(unique("oscar"), "pw-oscar-1");
        String chunk = "x".repeat(40_000);
        ok(put(s, s.userId(), "org.example.a", Map.of("org.example.a", chunk)));
        expectError(put(s, s.userId(), "org.example.b", Map.of("org.example.b", chunk)), 400, "M_PROFILE_TOO_LARGE");
    }

    private WebTestClient.ResponseSpec put(Session as, String userId, String key, Map<String, Object> body) {
        return http.put().uri(PROFILE + userId + "/" + key).header("Authorization", as.bearer()).bodyValue(body)
                .exchange();
    }
}
