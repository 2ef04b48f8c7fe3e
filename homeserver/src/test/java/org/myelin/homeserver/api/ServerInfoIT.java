package org.myelin.homeserver.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Discovery, capabilities, the 404/405 fallback, CORS, request ids, and the management endpoints. */
@TestPropertySource(properties = "myelin.public-base-url=https://matrix.test.local/")
class ServerInfoIT extends HomeserverIT {

    private static final String WHOAMI = "/_matrix/client/v3/account/whoami";

    @LocalManagementPort
    int managementPort;

    @Test
    @SuppressWarnings("unchecked")
    void versionsShouldListV119WithoutAuthentication() {
        Map<String, Object> body = ok(get("/_matrix/client/versions", null));
        assertThat((List<Object>) body.get("versions")).contains("v1.1", "v1.19");
        assertThat(body.get("unstable_features")).isInstanceOf(Map.class);
    }

    @Test
    void wellKnownShouldGiveTheConfiguredBaseUrlWithoutTrailingSlash() {
        Map<String, Object> body = ok(get("/.well-known/matrix/client", null));
        assertThat(body).isEqualTo(Map.of("m.homeserver", Map.of("base_url", "https://matrix.test.local")));
    }

    @Test
    void capabilitiesShouldBe401MissingTokenWhenUnauthenticated() {
        expectError(get("/_matrix/client/v3/capabilities", null), 401, "M_MISSING_TOKEN");
    }

    @Test
    @SuppressWarnings("unchecked")
    void capabilitiesShouldListRoomVersionsAndPasswordChangeWhenAuthenticated() {
        Session s = accounts.register(unique("caps"), "pw-caps-1");
        Map<String, Object> caps = (Map<String, Object>) ok(get("/_matrix/client/v3/capabilities",
                s.accessToken())).get("capabilities");
        Map<String, Object> versions = (Map<String, Object>) caps.get("m.room_versions");
        assertThat(versions).containsEntry("default", "12");
        Map<String, Object> available = (Map<String, Object>) versions.get("available");
        assertThat(available).containsKeys(IntStream.rangeClosed(1, 12).mapToObj(Integer::toString)
                .toArray(String[]::new));
        assertThat(available).containsEntry("12", "stable").containsEntry("1", "stable");
        assertThat(caps).containsEntry("m.change_password", Map.of("enabled", true));
    }

    @Test
    void unknownPathShouldBe404Unrecognized() {
        expectError(get("/_matrix/client/v3/no/such/thing", null), 404, "M_UNRECOGNIZED");
    }

    @Test
    void knownPathWithWrongMethodShouldBe405Unrecognized() {
        expectError(http.delete().uri("/_matrix/client/v3/login").exchange(), 405, "M_UNRECOGNIZED");
        expectError(http.put().uri("/_matrix/client/versions").exchange(), 405, "M_UNRECOGNIZED");
    }

    @Test
    void corsHeadersShouldBeOnSuccessfulResponses() {
        assertCors(http.get().uri("/_matrix/client/versions").header("Origin", "https://app.example")
                .exchange().expectStatus().isOk());
    }

    @Test
    void corsHeadersShouldBeOnErrorResponses() {
        assertCors(http.get().uri(WHOAMI).header("Origin", "https://app.example").exchange()
                .expectStatus().isUnauthorized());
        assertCors(http.get().uri("/_matrix/client/v3/nothing/here").header("Origin", "https://app.example")
                .exchange().expectStatus().isNotFound());
    }

    @Test
    void preflightShouldBeAnsweredWithoutAuthenticationWhenOptions() {
        WebTestClient.ResponseSpec response = http.options().uri(WHOAMI).header("Origin", "https://app.example")
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "Authorization").exchange();
        response.expectStatus().is2xxSuccessful();
        assertCors(response);
    }

    @Test
    void requestIdShouldBeOnEveryResponse() {
        http.get().uri("/_matrix/client/versions").exchange().expectHeader().exists("X-Request-Id");
        http.get().uri(WHOAMI).exchange().expectStatus().isUnauthorized().expectHeader().exists("X-Request-Id");
    }

    @Test
    void errorBodiesShouldCarryNoInternalsWhenRequestsAreMalformed() {
        expectError(http.post().uri("/_matrix/client/v3/login").header("Content-Type", "application/json")
                .bodyValue("{\"type\": ").exchange(), 400, "M_NOT_JSON");
        expectError(http.post().uri("/_matrix/client/v3/login").header("Content-Type", "text/plain")
                .bodyValue("hello").exchange(), 400, "M_NOT_JSON");
        expectError(post("/_matrix/client/v3/login", Map.of("type", 5), null), 400, "M_BAD_JSON");
        expectError(http.get().uri(WHOAMI).header("Authorization", "Bearer").exchange(), 401, "M_MISSING_TOKEN");
        expectError(get("/_matrix/client/v3/profile/%40nobody%3Atest.local", null), 404, "M_NOT_FOUND");
    }

    @Test
    void encodedNulInTheUrlShouldBe400InvalidParam() {
        expectError(getRaw("/_matrix/client/v3/profile/%00abc"), 400, "M_INVALID_PARAM");
        expectError(getRaw("/_matrix/client/v3/register/available?username=a%00b"), 400, "M_INVALID_PARAM");
    }

    @Test
    void healthShouldBeUpOnTheManagementPort() {
        management().get().uri("/actuator/health").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
    }

    @Test
    void prometheusShouldTagRequestsWithTheRoutePatternNotTheRawPath() {
        Session s = accounts.register(unique("metrics"), "pw-metrics-1");
        ok(get("/_matrix/client/v3/profile/" + s.userId(), null));
        ok(get("/_matrix/client/v3/devices/" + s.deviceId(), s.accessToken()));
        String scrape = management().get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(scrape).contains("http_server_requests")
                .contains("uri=\"/_matrix/client/v3/profile/{userId}\"")
                .contains("uri=\"/_matrix/client/v3/devices/{deviceId}\"")
                .doesNotContain(s.deviceId());
    }

    /** GETs a path exactly as written, without the URI template encoding {@code uri(String)} applies. */
    private WebTestClient.ResponseSpec getRaw(String pathAndQuery) {
        return http.get().uri(URI.create("http://127.0.0.1:" + port + pathAndQuery)).exchange();
    }

    private WebTestClient management() {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + managementPort).build();
    }

    private static void assertCors(WebTestClient.ResponseSpec response) {
        response.expectHeader().valueEquals("Access-Control-Allow-Origin", "*")
                .expectHeader().value("Access-Control-Allow-Methods",
                        v -> assertThat(v).contains("GET", "POST", "PUT", "DELETE", "OPTIONS"))
                .expectHeader().value("Access-Control-Allow-Headers",
                        v -> assertThat(v).contains("X-Requested-With", "Content-Type", "Authorization"));
    }
}
