package org.myelin.homeserver.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.myelin.db.federation.ServerKeyRepository;
import org.myelin.db.support.Database;
import org.myelin.federation.protocol.crypto.JsonSigner;
import org.myelin.federation.protocol.crypto.PublicKeys;
import org.myelin.federation.protocol.crypto.SignatureCheck;
import org.myelin.federation.protocol.crypto.SigningKey;
import org.myelin.federation.protocol.id.KeyId;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.xmatrix.XMatrixAuthorization;
import org.myelin.federation.protocol.xmatrix.XMatrixRequest;
import org.myelin.federation.server.client.FederationClient;
import org.myelin.federation.server.client.RemoteServerException;
import org.myelin.db.testing.RequiresPostgres;
import org.myelin.homeserver.config.MyelinProperties;
import org.myelin.homeserver.support.Accounts;
import org.myelin.http.outbound.OutboundAddressGuard;
import org.springframework.http.MediaType;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Three real servers over TLS on loopback: A ({@code 127.0.0.1:<port>}, an IP-literal name), B and C
 * ({@code localhost:<port>}; C denies A by configuration). Requests between them are signed with X-Matrix and
 * verified with keys fetched from the origin over verified TLS; forged, unsigned, misaddressed and denied requests
 * are refused; B serves as a notary; the outbound guard and certificate checks hold.
 */
@RequiresPostgres
class FederationAuthIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static FederatedServers servers;
    private static ServerName a;
    private static ServerName b;
    private static ServerName c;

    @BeforeAll
    static void startServers() throws Exception {
        servers = FederatedServers.start(List.of("127.0.0.1", "localhost", "localhost"),
                List.of(List.of(), List.of(), List.of("--myelin.federation.denied-servers=127.0.0.1")));
        a = ServerName.parse(servers.get(0).name());
        b = ServerName.parse(servers.get(1).name());
        c = ServerName.parse(servers.get(2).name());
    }

    @AfterAll
    static void stopServers() {
        if (servers != null) {
            servers.close();
        }
    }

    private static FederationClient clientOf(int index) {
        return servers.get(index).bean(FederationClient.class);
    }

    private static String profilePath(String userId) {
        return "/_matrix/federation/v1/query/profile?user_id=" + FederationClient.segment(userId);
    }

    @Test
    void aSignedRequestIsVerifiedWithTheOriginsKeyFetchedOverTls() {
        Accounts.Session bob = servers.get(1).accounts().register("bob", "a long password for bob");
        servers.get(1).http().put().uri("/_matrix/client/v3/profile/{u}/displayname", bob.userId())
                .header("Authorization", bob.bearer()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("displayname", "Bob of B")).exchange().expectStatus().isOk();

        JsonNode profile = clientOf(0).get(b, profilePath(bob.userId())).block(Duration.ofSeconds(30));

        assertThat(profile.path("displayname").stringValue()).isEqualTo("Bob of B");
        SigningKey aKey = servers.get(0).bean(SigningKey.class);
        ServerKeyRepository bKeys = new ServerKeyRepository(servers.get(1).bean(Database.class));
        assertThat(bKeys.find(a.value(), aKey.keyId().toString()).block(Duration.ofSeconds(10)))
                .hasValueSatisfying(k -> assertThat(k.publicKey()).isEqualTo(aKey.verifyKey().toBase64()));
        JsonNode onlyName = clientOf(0).get(b, profilePath(bob.userId()) + "&field=displayname")
                .block(Duration.ofSeconds(30));
        assertThat(onlyName.properties()).hasSize(1);
    }

    @Test
    void queriesAboutUnknownOrForeignUsersAndAliasesAreErrors() {
        expectRemoteError(clientOf(0).get(b, profilePath("@nobody:" + b)), 404, "M_NOT_FOUND");
        expectRemoteError(clientOf(0).get(b, profilePath("@someone:" + c)), 400, "M_INVALID_PARAM");
        expectRemoteError(clientOf(0).get(b, "/_matrix/federation/v1/query/profile"), 400, "M_MISSING_PARAM");
        expectRemoteError(clientOf(0).get(b, "/_matrix/federation/v1/query/directory?room_alias="
                + FederationClient.segment("#nowhere:" + b)), 404, "M_NOT_FOUND");
    }

    @Test
    void aRoomAliasResolvesForAnotherServer() {
        Accounts.Session carol = servers.get(1).accounts().register("carol", "a long password for carol");
        Map<?, ?> created = servers.get(1).http().post().uri("/_matrix/client/v3/createRoom")
                .header("Authorization", carol.bearer()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("room_alias_name", "lobby")).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();

        JsonNode answer = clientOf(0).get(b, "/_matrix/federation/v1/query/directory?room_alias="
                + FederationClient.segment("#lobby:" + b)).block(Duration.ofSeconds(30));

        assertThat(answer.path("room_id").stringValue()).isEqualTo(created.get("room_id"));
        assertThat(answer.path("servers").get(0).stringValue()).isEqualTo(b.value());
    }

    @Test
    void anUnsignedRequestIs401() {
        expectRemoteError(clientOf(0).getUnsigned(b, profilePath("@bob:" + b)), 401, "M_UNAUTHORIZED");
    }

    @Test
    void aRequestSignedWithAnotherKeyIsRefused() {
        SigningKey aKey = servers.get(0).bean(SigningKey.class);
        SecureRandom random = new SecureRandom();
        for (SigningKey forged : List.of(SigningKey.generate(aKey.keyId(), random),
                SigningKey.generate(KeyId.ed25519("forged"), random))) {
            try (FederationClient impostor = client(a, forged, true, true)) {
                expectRemoteError(impostor.get(b, profilePath("@bob:" + b)), 401, "M_UNAUTHORIZED");
            }
        }
    }

    @Test
    void aRequestAddressedToAnotherServerIs401() throws Exception {
        String path = profilePath("@bob:" + b);
        SigningKey aKey = servers.get(0).bean(SigningKey.class);
        String header = XMatrixAuthorization.sign(new XMatrixRequest("GET", path, a, c, Optional.empty()), aKey)
                .toHeaderValue();
        HttpResponse<String> response = TrustingHttp.client().send(HttpRequest.newBuilder(
                        URI.create("https://127.0.0.1:" + servers.get(1).federationPort() + path))
                .header("Authorization", header).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(response.body()).path("errcode").stringValue()).isEqualTo("M_UNAUTHORIZED");
    }

    @Test
    void aServerTheConfigurationDeniesIs403() {
        expectRemoteError(clientOf(0).get(c, profilePath("@x:" + c)), 403, "M_FORBIDDEN");
        expectRemoteError(clientOf(1).get(c, profilePath("@x:" + c)), 404, "M_NOT_FOUND");
    }

    @Test
    void aNotaryServesAnotherServersKeysCountersigned() {
        ObjectNode query = JsonNodeFactory.instance.objectNode();
        query.putObject("server_keys").putObject(c.value());
        JsonNode posted = clientOf(0).send(b, "POST", "/_matrix/key/v2/query", query).block(Duration.ofSeconds(30));
        JsonNode fetched = clientOf(0).getUnsigned(b, "/_matrix/key/v2/query/" + FederationClient.segment(c.value()))
                .block(Duration.ofSeconds(30));

        for (JsonNode answer : List.of(posted, fetched)) {
            JsonNode doc = answer.path("server_keys").get(0);
            assertThat(doc.path("server_name").stringValue()).isEqualTo(c.value());
            assertThat(JsonSigner.verify(doc, c, PublicKeys.of(c, List.of(servers.get(2).bean(SigningKey.class)
                    .verifyKey())))).isEqualTo(SignatureCheck.VALID);
            assertThat(JsonSigner.verify(doc, b, PublicKeys.of(b, List.of(servers.get(1).bean(SigningKey.class)
                    .verifyKey())))).isEqualTo(SignatureCheck.VALID);
        }
    }

    @Test
    void theOutboundGuardRefusesLoopbackUnlessListed() {
        try (FederationClient guarded = client(a, servers.get(0).bean(SigningKey.class), false, true)) {
            assertThatThrownBy(() -> guarded.get(b, profilePath("@bob:" + b)).block(Duration.ofSeconds(30)))
                    .isInstanceOf(RemoteServerException.class).hasMessageContaining("outbound guard");
        }
    }

    @Test
    void anUntrustedCertificateIsRefusedUnlessVerificationIsOff() {
        try (FederationClient noCa = client(a, servers.get(0).bean(SigningKey.class), true, false)) {
            assertThatThrownBy(() -> noCa.get(b, profilePath("@bob:" + b)).block(Duration.ofSeconds(30)))
                    .isInstanceOfSatisfying(RemoteServerException.class, e -> assertThat(e.status()).isZero());
        }
    }

    private static FederationClient client(ServerName origin, SigningKey key, boolean allowLoopback, boolean withCa) {
        Optional<Path> ca = withCa ? Optional.of(Path.of(servers.get(0).bean(MyelinProperties.class)
                .federation().caFile())) : Optional.empty();
        return new FederationClient(new FederationClient.Settings(origin, Duration.ofSeconds(20), 1 << 20, true, ca,
                OutboundAddressGuard.parse(allowLoopback ? "127.0.0.0/8" : ""), List.of()), key, Clock.systemUTC());
    }

    private static void expectRemoteError(Mono<JsonNode> request, int status, String errcode) {
        assertThatThrownBy(() -> request.block(Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(RemoteServerException.class, e -> {
                    assertThat(e.status()).isEqualTo(status);
                    assertThat(e.errcode()).hasValue(errcode);
                });
    }
}
