package org.myelin.homeserver.support;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.myelin.db.testing.RequiresPostgres;
import org.myelin.db.testing.TestDatabase;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Base of full-stack HTTP tests: a real Myelin on a random port over a fresh PostgreSQL database per test class
 * (the context is discarded after each class, so the next class gets a new database). Rate limits are lifted
 * unless a class overrides them through {@code @SpringBootTest(properties = ...)} on itself.
 */
@RequiresPostgres
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "myelin.server-name=test.local",
        "myelin.registration.mode=open",
        "myelin.registration.shared-secret=test-shared-secret",
        "myelin.rate-limits.login.per-second=1000",
        "myelin.rate-limits.login.burst=1000",
        "myelin.rate-limits.register.per-second=1000",
        "myelin.rate-limits.register.burst=1000",
        "management.server.port=0"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
public abstract class HomeserverIT {

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
        http = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();
        accounts = new Accounts(http);
    }
}
