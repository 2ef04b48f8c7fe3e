package org.myelin.homeserver.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.myelin.federation.protocol.crypto.JsonSigner;
import org.myelin.federation.protocol.crypto.PublicKeys;
import org.myelin.federation.protocol.crypto.SigningKey;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.homeserver.support.HomeserverIT;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The federation listener over real TLS with the generated self-signed certificate: the key server answers with a
 * self-signed key document, and client paths are not served there by default.
 */
@TestPropertySource(properties = "myelin.federation.port=0")
class FederationListenerIT extends HomeserverIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    private FederationListener listener;

    @Autowired
    private SigningKey signingKey;

    @Autowired
    private ServerName serverName;

    @Test
    void keyServerShouldPublishTheSigningKeySelfSignedOverTls() throws Exception {
        HttpResponse<String> response = get("/_matrix/key/v2/server");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode doc = JSON.readTree(response.body());
        assertThat(doc.path("server_name").stringValue()).isEqualTo(serverName.value());
        assertThat(doc.path("verify_keys").path(signingKey.keyId().toString()).path("key").stringValue())
                .isEqualTo(signingKey.verifyKey().toBase64());
        assertThat(doc.path("valid_until_ts").longValue()).isGreaterThan(System.currentTimeMillis());
        assertThat(JsonSigner.verify(doc, serverName, PublicKeys.of(serverName, List.of(signingKey.verifyKey())))
                .isValid()).isTrue();
    }

    @Test
    void clientPathsShouldBe404UnrecognizedOnTheFederationListener() throws Exception {
        for (String path : List.of("/_matrix/client/versions", "/_matrix/federation/v1/nonexistent", "/")) {
            HttpResponse<String> response = get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(JSON.readTree(response.body()).path("errcode").stringValue()).as(path)
                    .isEqualTo("M_UNRECOGNIZED");
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return TrustingHttp.client().send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + listener.port() + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
