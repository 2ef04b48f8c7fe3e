package org.myelin.homeserver.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code java -jar homeserver.jar register-user --user alice --password ... [--admin] [--url http://localhost:8008]}:
 * creates an account on a running Myelin through the shared-secret admin API (the secret comes from
 * {@code --shared-secret} or MYELIN_REGISTRATION_SHARED_SECRET), the way Synapse's register_new_matrix_user does.
 */
public final class RegisterUserCommand {

    public static final String NAME = "register-user";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ObjectMapper json = JsonMapper.builder().build();
    private final PrintStream out;

    public RegisterUserCommand(PrintStream out) {
        this.out = out;
    }

    /** Runs the command; returns the process exit code. */
    public int run(String[] args) {
        Map<String, String> opts = parse(args);
        String url = opts.getOrDefault("url", "http://localhost:8008").replaceFirst("/+$", "");
        String user = opts.get("user");
        String password = opts.get("password");
        String secret = opts.getOrDefault("shared-secret", System.getenv("MYELIN_REGISTRATION_SHARED_SECRET"));
        boolean admin = opts.containsKey("admin");
        if (user == null || password == null || secret == null || secret.isEmpty()) {
            out.println("usage: register-user --user NAME --password PASS [--admin] [--url URL] [--shared-secret S]"
                    + " (or set MYELIN_REGISTRATION_SHARED_SECRET)");
            return 2;
        }
        try {
            String nonce = send(HttpRequest.newBuilder(URI.create(url + "/_synapse/admin/v1/register")).GET())
                    .get("nonce").asString();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("nonce", nonce);
            body.put("username", user);
            body.put("password", password);
            body.put("admin", admin);
            body.put("mac", mac(secret, nonce, user, password, admin));
            JsonNode created = send(HttpRequest.newBuilder(URI.create(url + "/_synapse/admin/v1/register"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))));
            out.println("Created " + created.get("user_id").asString() + (admin ? " (admin)" : ""));
            return 0;
        } catch (CommandFailed e) {
            out.println("register-user failed: " + e.getMessage());
            return 1;
        }
    }

    private JsonNode send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = json.readTree(response.body());
            if (response.statusCode() != 200) {
                throw new CommandFailed(response.statusCode() + " " + body.path("errcode").asString("") + " "
                        + body.path("error").asString(""));
            }
            return body;
        } catch (IOException e) {
            throw new CommandFailed("cannot reach " + request.build().uri() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailed("interrupted");
        }
    }

    static String mac(String secret, String nonce, String user, String password, boolean admin) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA1");
            hmac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            String message = nonce + "\0" + user + "\0" + password + "\0" + (admin ? "admin" : "notadmin");
            return HexFormat.of().formatHex(hmac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 unavailable", e);
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                continue;
            }
            String key = a.substring(2);
            if (key.equals("admin")) {
                opts.put(key, "true");
            } else if (i + 1 < args.length) {
                opts.put(key, args[++i]);
            }
        }
        return opts;
    }

    /** A failure to report to the operator in one line. */
    private static final class CommandFailed extends RuntimeException {

        CommandFailed(String message) {
            super(message, null, false, false);
        }
    }
}
