package org.myelin.homeserver.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.myelin.db.account.ThreepidRepository;
import org.myelin.db.support.Database;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The mail server refusing every connection (a closed loopback port): each /requestToken (registration, adding an
 * address, password reset) answers 502 M_UNKNOWN, keeps no validation session, and the client's retry with the same
 * send_attempt tries to send again rather than being answered with a session whose mail never left.
 */
class EmailSendFailureIT extends HomeserverIT {

    private static final String V3 = "/_matrix/client/v3";

    @Autowired
    private Database db;

    @Autowired
    private ThreepidRepository threepids;

    @DynamicPropertySource
    static void smtp(DynamicPropertyRegistry registry) throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        registry.add("myelin.email.smtp-host", () -> "127.0.0.1");
        registry.add("myelin.email.smtp-port", () -> closed);
        registry.add("myelin.email.smtp-tls", () -> "none");
        registry.add("myelin.email.from", () -> "myelin@test.local");
        registry.add("myelin.email.send-timeout", () -> "5s");
        registry.add("myelin.rate-limits.request-token.per-second", () -> "1000");
        registry.add("myelin.rate-limits.request-token.burst", () -> "1000");
        registry.add("myelin.rate-limits.request-token-per-address.per-second", () -> "1000");
        registry.add("myelin.rate-limits.request-token-per-address.burst", () -> "1000");
    }

    @Test
    void everyRequestTokenShouldBe502AndLeaveNoSessionWhenTheMailCannotBeSent() {
        Session alice = accounts.registerBySharedSecret(unique("alice"), "pw-alice-1", false);
        String bound = unique("alice") + "@example.org";
        threepids.add(new ThreepidRepository.Threepid("email", bound, alice.userId(), 1, 1))
                .block(Duration.ofSeconds(10));
        Map<String, String> requests = Map.of(
                V3 + "/register/email/requestToken", unique("newcomer") + "@example.org",
                V3 + "/account/3pid/email/requestToken", unique("added") + "@example.org",
                V3 + "/account/password/email/requestToken", bound);

        requests.forEach((uri, email) -> {
            Map<String, Object> body = Map.of("client_secret", "secret-" + email.hashCode(), "email", email,
                    "send_attempt", 1);
            for (int attempt = 0; attempt < 2; attempt++) {
                Map<String, Object> error = expectError(post(uri, body, null), 502, "M_UNKNOWN");
                assertThat((String) error.get("error")).as(uri).contains("mail server");
            }
            assertThat(sessions(email)).as("sessions of " + email).isZero();
        });
        assertThat(threepids.find("email", bound).map(ThreepidRepository.Threepid::userId)
                .block(Duration.ofSeconds(10))).isEqualTo(alice.userId());
    }

    private long sessions(String email) {
        return db.one(db.sql("SELECT count(*) AS n FROM threepid_sessions WHERE address = :a").bind("a", email),
                row -> row.longValue("n")).block(Duration.ofSeconds(10));
    }
}
