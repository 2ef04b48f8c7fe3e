package org.myelin.clientapi.account.threepid;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.http.JsonBodies;
import org.myelin.http.JsonFields;
import org.myelin.http.Responses;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;

/**
 * Where a mailed token comes back ({@link ThreepidValidation#SUBMIT_PATH}): the link in the mail (GET, a page for a
 * browser, or a redirect to the session's next_link) and the submit_url of the /requestToken answers (POST, with
 * the Identity Service API's submitToken body {@code {sid, client_secret, token}} and answer {@code {success}}).
 */
@Component
public class SubmitTokenHandler {

    private static final MediaType HTML = new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8);
    private static final String VALIDATED = page("Your e-mail address has been validated",
            "You can close this page and return to your Matrix client.");
    private static final String FAILED = page("This link is not valid",
            "It may have expired or been used with another request. Ask your client to send a new e-mail.");

    private final JsonBodies bodies;
    private final ThreepidValidation validation;

    public SubmitTokenHandler(JsonBodies bodies, ThreepidValidation validation) {
        this.bodies = bodies;
        this.validation = validation;
    }

    /** GET (the link in the mail): a page for the user, or a redirect to next_link once validated. */
    public Mono<ServerResponse> link(ServerRequest request) {
        String sid = request.queryParam("sid").orElse("");
        String secret = request.queryParam("client_secret").orElse("");
        String token = request.queryParam("token").orElse("");
        if (sid.isEmpty() || secret.isEmpty() || token.isEmpty()) {
            return html(HttpStatus.BAD_REQUEST, FAILED);
        }
        return validation.submit(sid, secret, token).flatMap(result -> {
            if (!result.validated()) {
                return html(HttpStatus.BAD_REQUEST, FAILED);
            }
            if (result.nextLink() != null) {
                return ServerResponse.status(HttpStatus.FOUND).location(URI.create(result.nextLink())).build();
            }
            return html(HttpStatus.OK, VALIDATED);
        });
    }

    /** POST (the submit_url): {@code {success: true}} when the token validated the session. */
    public Mono<ServerResponse> submit(ServerRequest request) {
        return bodies.object(request).flatMap(body -> {
            String sid = ThreepidParams.secret(JsonFields.requiredString(body, "sid"), "sid");
            String secret = ThreepidParams.secret(JsonFields.requiredString(body, "client_secret"), "client_secret");
            String token = JsonFields.requiredString(body, "token");
            if (token.isEmpty()) {
                return Mono.error(MatrixException.invalidParam("token must not be empty"));
            }
            return validation.submit(sid, secret, token)
                    .flatMap(result -> Responses.ok(Map.of("success", result.validated())));
        });
    }

    private static Mono<ServerResponse> html(HttpStatus status, String page) {
        return ServerResponse.status(status).contentType(HTML)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header("Content-Security-Policy", "default-src 'none'")
                .bodyValue(page);
    }

    private static String page(String title, String text) {
        return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + title + "</title></head><body><h1>"
                + title + "</h1><p>" + text + "</p></body></html>";
    }
}
