package org.myelin.homeserver.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * URL previews with an outbound guard that allows only 127.0.0.2 of loopback: a URL naming 127.0.0.1 is refused
 * before any connection (403, as Synapse answers for a blocked IP), a name resolving only to refused addresses is
 * 502 (Synapse's DNS failure), and an allowed site redirecting to a refused address is refused at the redirect.
 */
@TestPropertySource(properties = {"myelin.url-previews.enabled=true", "myelin.outbound.allowed-cidrs=127.0.0.2/32"})
class UrlPreviewGuardIT extends HomeserverIT {

    private static PreviewSite refused;
    private static PreviewSite allowed;

    @BeforeAll
    static void startSites() throws IOException {
        byte[] page = "<title>Internal</title>".getBytes(StandardCharsets.UTF_8);
        refused = new PreviewSite("127.0.0.1").page("/internal", "text/html", page);
        allowed = new PreviewSite("127.0.0.2").page("/public", "text/html", page)
                .redirect("/to-internal", "http://127.0.0.1:" + refused.port() + "/internal");
    }

    @AfterAll
    static void stopSites() {
        refused.close();
        allowed.close();
    }

    private WebTestClient.ResponseSpec preview(Session s, String url) {
        return http.get().uri("/_matrix/client/v1/media/preview_url?url={url}", url)
                .header("Authorization", s.bearer()).exchange();
    }

    @Test
    void theGuardIsAppliedToTheAddressAndToEveryRedirect() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");

        assertThat(ok(preview(alice, "http://127.0.0.2:" + allowed.port() + "/public")))
                .containsEntry("og:title", "Internal");
        expectError(preview(alice, "http://127.0.0.1:" + refused.port() + "/internal"), 403, "M_UNKNOWN");
        expectError(preview(alice, "http://localhost:" + refused.port() + "/internal"), 502, "M_UNKNOWN");
        expectError(preview(alice, "http://127.0.0.2:" + allowed.port() + "/to-internal"), 403, "M_UNKNOWN");

        assertThat(allowed.hits("/to-internal")).isEqualTo(1);
        assertThat(refused.hits("/internal")).isZero();
    }
}
