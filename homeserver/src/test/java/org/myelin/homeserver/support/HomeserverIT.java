package org.myelin.homeserver.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.BeforeEach;
import org.myelin.db.testing.RequiresPostgres;
import org.myelin.db.testing.TestDatabase;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Base of full-stack HTTP tests: a real Myelin on a random port over a fresh PostgreSQL database per test class
 * (the context is discarded after each class, so the next class gets a new database). Rate limits are lifted
 * unless a class overrides them with {@code @TestPropertySource(properties = ...)} on itself (those win over the
 * properties below; a second {@code @SpringBootTest} would replace this one, random port included).
 */
@RequiresPostgres
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "myelin.server-name=test.local",
        "myelin.registration.mode=open",
        "myelin.registration.shared-secret=" + HomeserverIT.SHARED_SECRET,
        "myelin.rate-limits.login.per-second=1000",
        "myelin.rate-limits.login.burst=1000",
        "myelin.rate-limits.register.per-second=1000",
        "myelin.rate-limits.register.burst=1000",
        "myelin.turn.enabled=false",
        "myelin.federation.port=-1",
        "management.server.port=0"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
public abstract class HomeserverIT {

    /** The shared secret of the admin registration API in these tests. */
    public static final String SHARED_SECRET = "test-shared-secret";

    private static final AtomicInteger COUNTER = new AtomicInteger();

    @LocalServerPort
    protected int port;

    /** A client bound to the running server. */
    protected WebTestClient http;

    /** Helpers that register users and log in through the real API. */
    protected Accounts accounts;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) throws Exception {
        if (!TestDatabase.available()) {
            return;
        }
        TestDatabase.Db db = TestDatabase.fresh("homeserver");
        Path dataDir = Files.createTempDirectory("myelin-it");
        registry.add("myelin.db.url", db::myelinUrl);
        registry.add("myelin.data-dir", dataDir::toString);
    }

    @BeforeEach
    void bindClient() {
        http = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(30))
                .build();
        accounts = new Accounts(http);
    }

    /** A username no other test of the class uses (the database lives as long as the class). */
    protected static String unique(String prefix) {
        return prefix + COUNTER.incrementAndGet();
    }

    /** Waits (up to 10 s) until {@code condition} holds, e.g. until the server has parked a long-poll. */
    protected static void awaitCondition(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    /** POSTs {@code body} as JSON, optionally with an access token. */
    protected WebTestClient.ResponseSpec post(String uri, Object body, String accessToken) {
        WebTestClient.RequestBodySpec spec = http.post().uri(uri).contentType(MediaType.APPLICATION_JSON);
        if (accessToken != null) {
            spec = spec.header("Authorization", "Bearer " + accessToken);
        }
        return spec.bodyValue(body).exchange();
    }

    /** GETs {@code uri}, optionally with an access token. */
    protected WebTestClient.ResponseSpec get(String uri, String accessToken) {
        WebTestClient.RequestHeadersSpec<?> spec = http.get().uri(uri);
        if (accessToken != null) {
            spec = spec.header("Authorization", "Bearer " + accessToken);
        }
        return spec.exchange();
    }

    /** Expects a 200 and returns the JSON object body. */
    protected static Map<String, Object> ok(WebTestClient.ResponseSpec response) {
        return MatrixErrors.body(response.expectStatus().isOk());
    }

    /** Expects a User-Interactive Authentication 401 (flows, session) and returns its body. */
    protected static Map<String, Object> expectUia(WebTestClient.ResponseSpec response) {
        Map<String, Object> body = MatrixErrors.body(response.expectStatus().isUnauthorized());
        assertThat(body).containsKeys("flows", "params", "session");
        MatrixErrors.assertNoInternals(body);
        return body;
    }

    /** Expects a Matrix error: the status, the errcode, and a body that gives nothing of the server away. */
    protected static Map<String, Object> expectError(WebTestClient.ResponseSpec response, int status,
            String errcode) {
        Map<String, Object> body = MatrixErrors.body(response.expectStatus().isEqualTo(status));
        assertThat(body).containsEntry("errcode", errcode);
        MatrixErrors.assertNoInternals(body);
        return body;
    }
}
