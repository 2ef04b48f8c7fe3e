package org.myelin.clientapi.account.threepid;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import org.myelin.clientapi.account.AccountSettings;
import org.myelin.clientapi.auth.RateLimiter;
import org.myelin.clientapi.auth.SecretTokens;
import org.myelin.clientapi.http.ClientApiSettings;
import org.myelin.db.account.ThreepidRepository;
import org.myelin.db.account.ThreepidSessionRepository;
import org.myelin.db.account.ThreepidSessionRepository.ThreepidSession;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.http.JsonFields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * E-mail validation sessions: a /requestToken opens one (or finds the one the same client secret opened for the
 * address) and mails a token with a link; the link (or the submit_url) marks the session validated; a later request
 * (a UIA stage, /3pid/add) asks which address a validated session proved. As in Synapse, a request repeating the
 * session's send_attempt sends nothing and answers the same sid, and requests are rate-limited per client address
 * and per e-mail address.
 */
@Component
public class ThreepidValidation {

    /** Where the link in the mail points, and the submit_url of the answer. */
    public static final String SUBMIT_PATH = "/_synapse/client/email/submit_token";

    private static final Logger LOG = LoggerFactory.getLogger(ThreepidValidation.class);
    private static final String EMAIL = "email";

    /** What a submitted token did: the session's next_link when it validated one (may be null). */
    public record Submitted(boolean validated, String nextLink) {
    }

    private final ThreepidSessionRepository sessions;
    private final ThreepidRepository threepids;
    private final Mailer mailer;
    private final AccountSettings settings;
    private final String serverName;
    private final String baseUrl;
    private final RateLimiter perClient;
    private final RateLimiter perAddress;
    private final Clock clock;

    public ThreepidValidation(ThreepidSessionRepository sessions, ThreepidRepository threepids, Mailer mailer,
            AccountSettings settings, ClientApiSettings client, Clock clock) {
        this.sessions = sessions;
        this.threepids = threepids;
        this.mailer = mailer;
        this.settings = settings;
        this.serverName = client.serverName();
        this.baseUrl = client.publicBaseUrl();
        this.perClient = new RateLimiter(settings.requestTokenRate(), clock);
        this.perAddress = new RateLimiter(settings.requestTokenAddressRate(), clock);
        this.clock = clock;
    }

    /** Whether this server can validate e-mail addresses (an SMTP server is configured). */
    public boolean enabled() {
        return settings.email().enabled();
    }

    /**
     * POST .../email/requestToken for {@code purpose}: checks the address may be used for it (M_THREEPID_IN_USE,
     * M_THREEPID_NOT_FOUND), then mails a token unless this send_attempt was already handled. Emits the sid.
     */
    public Mono<String> requestToken(ValidationPurpose purpose, JsonNode body, String clientAddress) {
        if (!enabled()) {
            return Mono.error(new MatrixException(ErrCode.M_THREEPID_MEDIUM_NOT_SUPPORTED,
                    "This server does not validate e-mail addresses"));
        }
        String secret = ThreepidParams.secret(JsonFields.requiredString(body, "client_secret"), "client_secret");
        String email = ThreepidParams.email(JsonFields.requiredString(body, EMAIL));
        long attempt = ThreepidParams.sendAttempt(body);
        String nextLink = ThreepidParams.nextLink(JsonFields.optionalString(body, "next_link"));
        perClient.acquire(clientAddress);
        perAddress.acquire(email);
        return checkAddress(purpose, email).then(sessions.find(secret, EMAIL, email, purpose.stored(), clock.millis())
                .flatMap(existing -> attempt <= existing.sendAttempt() ? Mono.just(existing.sid())
                        : resend(purpose, existing, attempt, nextLink))
                .switchIfEmpty(Mono.defer(() -> open(purpose, secret, email, attempt, nextLink))));
    }

    private Mono<Void> checkAddress(ValidationPurpose purpose, String email) {
        return threepids.find(EMAIL, email).hasElement().flatMap(bound -> {
            if (purpose == ValidationPurpose.PASSWORD && !bound) {
                return Mono.error(new MatrixException(ErrCode.M_THREEPID_NOT_FOUND,
                        "No account has this e-mail address"));
            }
            if (purpose != ValidationPurpose.PASSWORD && bound) {
                return Mono.error(new MatrixException(ErrCode.M_THREEPID_IN_USE,
                        "This e-mail address is already in use"));
            }
            return Mono.empty();
        });
    }

    private Mono<String> open(ValidationPurpose purpose, String secret, String email, long attempt, String nextLink) {
        String sid = SecretTokens.opaqueId();
        String token = SecretTokens.validationToken();
        long now = clock.millis();
        ThreepidSession session = new ThreepidSession(sid, secret, EMAIL, email, purpose.stored(),
                SecretTokens.hash(token), attempt, nextLink, null, now + lifetime().toMillis());
        // A mail that could not be sent leaves no session, so the client's retry (same send_attempt) sends again.
        return sessions.create(session, now)
                .then(mail(purpose, email, sid, secret, token)
                        .onErrorResume(e -> sessions.delete(sid).then(Mono.error(e))))
                .thenReturn(sid);
    }

    private Mono<String> resend(ValidationPurpose purpose, ThreepidSession s, long attempt, String nextLink) {
        String token = SecretTokens.validationToken();
        long expires = clock.millis() + lifetime().toMillis();
        // A mail that could not be sent puts the session back as it was, so a retry sends again.
        Mono<Void> restore = sessions.resend(s.sid(), s.tokenHash(), s.sendAttempt(), s.nextLink(), s.expiresTs())
                .then();
        return sessions.resend(s.sid(), SecretTokens.hash(token), attempt, nextLink, expires)
                .flatMap(updated -> updated ? mail(purpose, s.address(), s.sid(), s.clientSecret(), token)
                        .onErrorResume(e -> restore.then(Mono.error(e))) : Mono.<Void>empty())
                .thenReturn(s.sid());
    }

    private Mono<Void> mail(ValidationPurpose purpose, String email, String sid, String secret, String token) {
        String link = baseUrl + SUBMIT_PATH + "?" + query(Map.of("sid", sid, "client_secret", secret,
                "token", token));
        return mailer.send(new Mailer.OutgoingMail(email, purpose.subject(serverName),
                        purpose.text(serverName, link, token)))
                .onErrorMap(e -> {
                    LOG.warn("Could not send the validation mail of session {}: {}", sid, e.toString());
                    // NOTSPEC: Synapse answers 500; the failure is the mail server's, so it is 502 here, as for
                    // every other server Myelin relies on that fails (media, URL previews). The session is undone.
                    return new MatrixException(ErrCode.M_UNKNOWN, 502,
                            "The mail server could not send the e-mail; try again later");
                });
    }

    /** Marks the session validated when the token is its own. */
    public Mono<Submitted> submit(String sid, String clientSecret, String token) {
        long now = clock.millis();
        return sessions.find(sid, clientSecret, now)
                .flatMap(s -> sessions.validate(sid, clientSecret, SecretTokens.hash(token), now)
                        .map(ok -> new Submitted(ok, ok ? s.nextLink() : null)))
                .defaultIfEmpty(new Submitted(false, null));
    }

    /** The address a validated session of {@code purpose} proved, or empty. */
    public Mono<String> validatedAddress(String sid, String clientSecret, ValidationPurpose purpose) {
        return sessions.find(sid, clientSecret, clock.millis())
                .filter(s -> s.validatedTs() != null && s.purpose().equals(purpose.stored()))
                .map(ThreepidSession::address);
    }

    /** The public URL clients submit tokens to (the answer's submit_url). */
    public String submitUrl() {
        return baseUrl + SUBMIT_PATH;
    }

    private Duration lifetime() {
        return settings.email().tokenLifetime();
    }

    private static String query(Map<String, String> params) {
        StringBuilder q = new StringBuilder();
        params.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            if (!q.isEmpty()) {
                q.append('&');
            }
            q.append(e.getKey()).append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
        });
        return q.toString();
    }
}
