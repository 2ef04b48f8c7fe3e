package org.myelin.homeserver.push;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A push gateway on loopback for the tests: it records every {@code /_matrix/push/v1/notify} body it receives and
 * answers each pushkey with the statuses and bodies queued for it, then {@code 200 {"rejected": []}}.
 */
final class PushGateway implements AutoCloseable {

    /** One answer: a status and a JSON body. */
    record Answer(int status, String body) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final Map<String, ConcurrentLinkedQueue<Answer>> answers = new ConcurrentHashMap<>();

    PushGateway() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/_matrix/push/v1/notify", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/_matrix/push/v1/notify";
    }

    /** Queues answers for the next notifications to {@code pushkey}. */
    void answer(String pushkey, Answer... next) {
        answers.computeIfAbsent(pushkey, k -> new ConcurrentLinkedQueue<>()).addAll(List.of(next));
    }

    /** Every notification received for {@code pushkey}, in order. */
    List<JsonNode> receivedFor(String pushkey) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode body : received) {
            if (pushkey.equals(body.path("notification").path("devices").path(0).path("pushkey").asString(""))) {
                out.add(body.get("notification"));
            }
        }
        return out;
    }

    private void handle(HttpExchange exchange) throws IOException {
        JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
        received.add(body);
        String pushkey = body.path("notification").path("devices").path(0).path("pushkey").asString("");
        ConcurrentLinkedQueue<Answer> queue = answers.get(pushkey);
        Answer answer = queue == null ? null : queue.poll();
        if (answer == null) {
            answer = new Answer(200, "{\"rejected\":[]}");
        }
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
