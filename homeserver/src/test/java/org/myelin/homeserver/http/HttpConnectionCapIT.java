package org.myelin.homeserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.HomeserverIT;
import org.springframework.test.context.TestPropertySource;

/** Beyond {@code myelin.http.max-connections} a new connection is closed at once; existing ones keep working. */
@TestPropertySource(properties = "myelin.http.max-connections=20")
class HttpConnectionCapIT extends HomeserverIT {

    private static final String VERSIONS = "GET /_matrix/client/versions HTTP/1.1\r\nHost: test.local\r\n\r\n";

    /**
     * 21 connections against a cap of 20: exactly one is closed at once (which one depends on the order in which
     * the event loops initialise them), and each of the other 20 is served.
     */
    @Test
    void connectionBeyondTheCapShouldBeClosedWhileExistingClientsAreServed() throws Exception {
        List<RawHttp> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 21; i++) {
                clients.add(new RawHttp(port));
            }
            Thread.sleep(1_000);
            List<RawHttp> refused = new ArrayList<>();
            for (RawHttp client : clients) {
                if (client.awaitClose(50)) {
                    refused.add(client);
                }
            }
            assertThat(refused).as("connections closed at once").hasSize(1);
            assertThat(refused.get(0).received()).isEmpty();
            for (RawHttp client : clients) {
                if (!refused.contains(client)) {
                    client.send(VERSIONS);
                    assertThat(client.awaitText("\"versions\"", 5_000)).isTrue();
                    assertThat(client.received()).startsWith("HTTP/1.1 200");
                }
            }
            clients.remove(refused.get(0));
            refused.get(0).close();
            clients.remove(0).close();
            Thread.sleep(500);
            ok(get("/_matrix/client/versions", null));
        } finally {
            for (RawHttp client : clients) {
                client.close();
            }
        }
    }
}
