package org.myelin.homeserver.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Every Myelin setting ({@code myelin.*}). Each key is also settable by an environment variable; the mapping and
 * defaults live in application.yml and are documented in docs/configuration.md.
 */
@ConfigurationProperties("myelin")
public record MyelinProperties(
        String serverName,
        @DefaultValue("") String publicBaseUrl,
        @DefaultValue("./data") Path dataDir,
        @DefaultValue Db db,
        @DefaultValue Registration registration,
        @DefaultValue Auth auth,
        @DefaultValue Limits limits,
        @DefaultValue RateLimits rateLimits,
        @DefaultValue Turn turn,
        @DefaultValue Presence presence,
        @DefaultValue Http http,
        @DefaultValue Sync sync,
        @DefaultValue Federation federation,
        @DefaultValue Tls tls,
        @DefaultValue Outbound outbound,
        @DefaultValue("") List<String> trustedKeyServers,
        @DefaultValue Media media,
        @DefaultValue UrlPreviews urlPreviews,
        @DefaultValue Search search,
        @DefaultValue UserDirectory userDirectory,
        @DefaultValue("false") boolean guestAccess,
        @DefaultValue Email email,
        @DefaultValue Push push) {

    /** Where the database is; an empty url means "start the embedded PostgreSQL in data-dir". */
    public record Db(
            @DefaultValue("") String url,
            @DefaultValue("20") int poolMaxSize,
            @DefaultValue("10s") Duration statementTimeout,
            @DefaultValue("30s") Duration poolAcquireTimeout,
            @DefaultValue("10s") Duration connectTimeout) {
    }

    /**
     * Who may register: open, token or closed; the shared secret of the admin registration API; and whether a
     * registration needs a validated e-mail address.
     */
    public record Registration(
            @DefaultValue("closed") String mode,
            @DefaultValue("") String sharedSecret,
            @DefaultValue("false") boolean requireEmail) {
    }

    /** Token lifetimes. */
    public record Auth(
            @DefaultValue("5m") Duration accessTokenLifetime,
            @DefaultValue("15m") Duration uiaSessionLifetime,
            @DefaultValue("1h") Duration openidTokenLifetime) {
    }

    /**
     * E-mail through an SMTP server (see docs/configuration.md "E-mail"): an empty host turns e-mail off. TLS is
     * {@code starttls} (upgrade a plain connection, required), {@code tls} (implicit TLS, SMTPS) or {@code none}.
     */
    public record Email(
            @DefaultValue("") String smtpHost,
            @DefaultValue("587") int smtpPort,
            @DefaultValue("starttls") String smtpTls,
            @DefaultValue("") String smtpUser,
            @DefaultValue("") String smtpPassword,
            @DefaultValue("") String from,
            @DefaultValue("1h") Duration tokenLifetime,
            @DefaultValue("30s") Duration sendTimeout) {
    }

    /** Size limits. */
    public record Limits(@DefaultValue("1048576") long maxRequestBytes) {
    }

    /** Token-bucket rate limits per client address. */
    public record RateLimits(
            @DefaultValue Bucket login,
            @DefaultValue Bucket register,
            @DefaultValue Bucket turn,
            @DefaultValue Bucket requestToken,
            @DefaultValue Bucket requestTokenPerAddress) {
    }

    /**
     * TURN: Myelin's own relay and the credentials /voip/turnServer hands out (see docs/configuration.md "TURN").
     * An empty shared secret is generated once and kept in {@code <data-dir>/turn.secret}.
     */
    public record Turn(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("") String sharedSecret,
            @DefaultValue("") String realm,
            @DefaultValue("") String host,
            @DefaultValue("0.0.0.0") String listenAddress,
            @DefaultValue("3478") int udpPort,
            @DefaultValue("3478") int tcpPort,
            @DefaultValue("5349") int tlsPort,
            @DefaultValue("") String tlsCertificate,
            @DefaultValue("") String tlsPrivateKey,
            @DefaultValue("") String tlsKeystorePassword,
            @DefaultValue("49152") int relayPortMin,
            @DefaultValue("65535") int relayPortMax,
            @DefaultValue("") String externalAddress,
            @DefaultValue("") List<String> allowedPeerCidrs,
            @DefaultValue("10") int maxAllocationsPerUser,
            @DefaultValue("1250000") long bandwidthLimitBytesPerSecond,
            @DefaultValue("600s") Duration defaultLifetime,
            @DefaultValue("3600s") Duration maxLifetime,
            @DefaultValue("600s") Duration nonceLifetime,
            @DefaultValue("1d") Duration credentialTtl,
            @DefaultValue("") List<String> externalUris) {
    }

    /** Presence (see docs/configuration.md "Presence"): false turns it off as Synapse's presence.enabled does. */
    public record Presence(@DefaultValue("true") boolean enabled) {
    }

    /** Client connection limits (see docs/configuration.md "HTTP connections"). */
    public record Http(
            @DefaultValue("10s") Duration headerTimeout,
            @DefaultValue("30s") Duration bodyTimeout,
            @DefaultValue("60s") Duration idleTimeout,
            @DefaultValue("10000") int maxConnections) {
    }

    /** The federation listener (see docs/configuration.md "Federation"): -1 as the port turns federation off. */
    public record Federation(@DefaultValue("8448") int port, @DefaultValue("0.0.0.0") String listenAddress,
            @DefaultValue("false") boolean clientApi,
            @DefaultValue("") String caFile,
            @DefaultValue("true") boolean verifyTls,
            @DefaultValue("") List<String> dnsServers,
            @DefaultValue("60s") Duration requestTimeout,
            @DefaultValue("104857600") long maxResponseBytes,
            @DefaultValue("") List<String> allowedServers,
            @DefaultValue("") List<String> deniedServers,
            @DefaultValue("false") boolean publicRooms) {
    }

    /** Requests this server makes (federation now): the SSRF guard's allowed internal blocks, e.g. 127.0.0.0/8. */
    public record Outbound(@DefaultValue("") List<String> allowedCidrs) {
    }

    /** The federation listener's certificate chain and private key, PEM; both empty: a generated self-signed one. */
    public record Tls(@DefaultValue("") String certificate, @DefaultValue("") String privateKey) {
    }

    /**
     * /sync under load (see docs/configuration.md "Sync"): how many different long-polls one access token may hold
     * open, and how many sync computations run at once on this node; and how long a sliding sync connection may go
     * unused before it expires.
     */
    public record Sync(@DefaultValue("4") int maxPollsPerToken, @DefaultValue("8") int maxConcurrentComputations,
            @DefaultValue("7d") Duration slidingConnectionExpiry) {
    }

    /**
     * The content repository (see docs/configuration.md "Media"). An empty directory means {@code <data-dir>/media};
     * a non-empty S3 bucket stores the blobs there instead (the directory then only stages uploads).
     */
    public record Media(
            @DefaultValue("52428800") long maxUploadBytes,
            @DefaultValue("") String directory,
            @DefaultValue("true") boolean freezeUnauthenticated,
            @DefaultValue("24h") Duration pendingExpiry,
            @DefaultValue("5") int maxPendingPerUser,
            @DefaultValue("0") long userQuotaBytes,
            @DefaultValue("32000000") long maxImagePixels,
            @DefaultValue("0s") Duration remoteRetention,
            @DefaultValue S3 s3) {
    }

    /**
     * URL previews (see docs/configuration.md "URL previews"): off unless enabled; the largest page or image fetched,
     * the time limit of one preview's fetch (redirects included), and how long an answer is reused.
     */
    public record UrlPreviews(
            @DefaultValue("false") boolean enabled,
            @DefaultValue("10485760") long maxBytes,
            @DefaultValue("10s") Duration timeout,
            @DefaultValue("1h") Duration cacheTtl) {
    }

    /**
     * Server-side search (see docs/configuration.md "Search and the user directory"): the PostgreSQL text search
     * configuration event texts are indexed and search terms parsed with.
     */
    public record Search(@DefaultValue("english") String textSearchConfig) {
    }

    /** The user directory: whether every user may be found, not only those sharing a room or in a public one. */
    public record UserDirectory(@DefaultValue("false") boolean searchAllUsers) {
    }

    /**
     * Delivery to push gateways (see docs/configuration.md "Push"): the time limit of one call, and the retry
     * delays after failures (the first, doubled per failure up to the last, after which a notification is dropped).
     */
    public record Push(
            @DefaultValue("10s") Duration gatewayTimeout,
            @DefaultValue("1s") Duration retryInitial,
            @DefaultValue("1h") Duration retryMax) {
    }

    /** S3-compatible blob storage for media; an empty bucket means the local directory. */
    public record S3(
            @DefaultValue("") String endpoint,
            @DefaultValue("") String bucket,
            @DefaultValue("us-east-1") String region,
            @DefaultValue("") String accessKey,
            @DefaultValue("") String secretKey) {
    }

    /** A token bucket: {@code perSecond} tokens refill per second, at most {@code burst} held. */
    public record Bucket(@DefaultValue("0.5") double perSecond, @DefaultValue("10") int burst) {
    }

    /** The TLS modes {@code myelin.email.smtp-tls} accepts. */
    public static final List<String> SMTP_TLS_MODES = List.of("starttls", "tls", "none");

    /** The registration modes {@code myelin.registration.mode} accepts. */
    public static final List<String> REGISTRATION_MODES = List.of("open", "token", "closed");
}
