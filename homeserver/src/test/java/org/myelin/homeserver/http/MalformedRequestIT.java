package org.myelin.homeserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;

/**
 * Requests the HTTP codec cannot decode get a Matrix error body (not reactor-netty's empty answer) and a closed
 * connection, and the server goes on serving everybody else.
 */
class MalformedRequestIT extends HomeserverIT {

    private static final long WAIT_MILLIS = 5_000;

    @Test
    void oversizedHeaderShouldGet431WithMatrixError() throws Exception {
        assertAnswered("GET /_matrix/client/versions HTTP/1.1\r\nHost: test.local\r\nX-Big: " + "a".repeat(20_000)
                + "\r\n\r\n", "HTTP/1.1 431", "M_TOO_LARGE");
    }

    @Test
    void overlongRequestLineShouldGet414WithMatrixError() throws Exception {
        assertAnswered("GET /_matrix/client/versions?x=" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: test.local\r\n\r\n",
                "HTTP/1.1 414", "M_TOO_LARGE");
    }

    @Test
    void garbageRequestLineShouldGet400WithMatrixError() throws Exception {
        assertAnswered("GET /_matrix/client/versions HTTP/1.1 extra\r\nHost: test.local\r\nBad Header\r\n\r\n",
                "HTTP/1.1 400", "M_UNKNOWN");
    }

    @Test
    void strayPercentEscapesShouldGet400WithMatrixError() throws Exception {
        for (String target : new String[] {"/_matrix/client/v3/profile/%zz", "/_matrix/client/v3/profile/%",
                "/_matrix/client/v3/register/available?username=%zz", "/_matrix/client/v3/rooms/{roomId}/state"}) {
            assertAnswered("GET " + target + " HTTP/1.1\r\nHost: test.local\r\n\r\n", "HTTP/1.1 400",
                    "M_INVALID_PARAM");
        }
    }

    @Test
    void oversizedHeaderAfterAGoodRequestOnOneConnectionShouldStillBeAnswered() throws Exception {
        try (RawHttp client = new RawHttp(port)) {
            client.send("GET /_matrix/client/versions HTTP/1.1\r\nHost: test.local\r\n\r\n");
            assertThat(client.awaitText("\"versions\"", WAIT_MILLIS)).isTrue();
            client.send("GET /_matrix/client/versions HTTP/1.1\r\nHost: test.local\r\nX-Big: " + "b".repeat(20_000)
                    + "\r\n\r\n");
            assertThat(client.awaitClose(WAIT_MILLIS)).as("connection closed").isTrue();
            assertThat(client.received()).contains("HTTP/1.1 431").contains("\"errcode\":\"M_TOO_LARGE\"");
        }
        ok(get("/_matrix/client/versions", null));
    }

    /**
     * Behind a request whose answer takes a database round trip, on the same connection: pipelined in the same
     * packet, the 414 used to be dropped; sent right after the first answer, the 431 sometimes never came.
     */
    @Test
    void malformedRequestsRightBehindAnAsynchronousAnswerShouldBeAnsweredInOrder() throws Exception {
        Session s = accounts.register(unique("pip"), "pw-pip-1");
        String whoami = "GET /_matrix/client/v3/account/whoami HTTP/1.1\r\nHost: test.local\r\nAuthorization: "
                + s.bearer() + "\r\n\r\n";
        for (int round = 0; round < 20; round++) {
            try (RawHttp client = new RawHttp(port)) {
                client.send(whoami + "GET /_matrix/client/versions?x=" + "a".repeat(10_000)
                        + " HTTP/1.1\r\nHost: test.local\r\n\r\n");
                assertThat(client.awaitClose(WAIT_MILLIS)).as("round %d closed", round).isTrue();
                String received = client.received();
                assertThat(received).as("round %d", round).startsWith("HTTP/1.1 200").contains(s.userId());
                assertThat(received.indexOf("HTTP/1.1 414")).as("round %d", round)
                        .isGreaterThan(received.indexOf(s.userId()));
            }
            try (RawHttp client = new RawHttp(port)) {
                client.send(whoami);
                assertThat(client.awaitText(s.userId(), WAIT_MILLIS)).isTrue();
                client.send("GET /_matrix/client/versions HTTP/1.1\r\nHost: test.local\r\nX-Big: "
                        + "c".repeat(9_000) + "\r\n\r\n");
                assertThat(client.awaitClose(WAIT_MILLIS)).as("round %d closed", round).isTrue();
                assertThat(client.received()).as("round %d", round).contains("HTTP/1.1 431")
                        .contains("\"errcode\":\"M_TOO_LARGE\"");
            }
        }
    }

    private void assertAnswered(String request, String statusLine, String errcode) throws Exception {
        try (RawHttp client = new RawHttp(port)) {
            client.send(request);
            assertThat(client.awaitClose(WAIT_MILLIS)).as("connection closed").isTrue();
            assertThat(client.received()).startsWith(statusLine).contains("Content-Type: application/json")
                    .contains("\"errcode\":\"" + errcode + "\"");
        }
        ok(get("/_matrix/client/versions", null));
    }
}
