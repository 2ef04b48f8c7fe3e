package org.myelin.http.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

/** {@link GuardedHttpClient#postJson} against a real HTTP server on loopback: the body arrives, the guard decides. */
class GuardedHttpClientPostTest {

    private HttpServer server;
    private final AtomicReference<String> received = new AtomicReference<>();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/notify", exchange -> {
            received.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)
                    + " " + exchange.getRequestHeaders().getFirst("Content-Type"));
            byte[] answer = "{\"rejected\":[]}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/notify");
    }

    @Test
    void aPermittedAddressShouldGetTheJsonBody() {
        try (GuardedHttpClient client = new GuardedHttpClient(new GuardedHttpClient.Settings(Duration.ofSeconds(5),
                0, "test"), new OutboundAddressGuard(List.of(Cidr.parse("127.0.0.0/8"))))) {
            GuardedHttpClient.Response response = client.postJson(url(),
                    "{\"a\":1}".getBytes(StandardCharsets.UTF_8), 1024).block(Duration.ofSeconds(10));
            assertThat(response.status()).isEqualTo(200);
            assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{\"rejected\":[]}");
            assertThat(received.get()).isEqualTo("{\"a\":1} application/json");
        }
    }

    @Test
    void loopbackShouldBeRefusedUnlessAllowed() {
        try (GuardedHttpClient client = new GuardedHttpClient(new GuardedHttpClient.Settings(Duration.ofSeconds(5),
                0, "test"), new OutboundAddressGuard(List.of()))) {
            assertThatThrownBy(() -> client.postJson(url(), new byte[0], 1024).block(Duration.ofSeconds(10)))
                    .isInstanceOf(OutboundException.class);
            assertThat(received.get()).isNull();
        }
    }
}
