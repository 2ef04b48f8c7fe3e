package org.myelin.voip.credentials;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What {@code GET /voip/turnServer} hands a user: fresh REST credentials plus the TURN URIs they work for (the
 * built-in relay's and any external ones). Empty URIs mean TURN is switched off.
 */
public final class TurnOffer {

    /** One answer: the spec's {@code username}, {@code password}, {@code uris} and {@code ttl} (seconds). */
    public record Offer(String username, String password, List<String> uris, long ttlSeconds) {
    }

    private final TurnCredentials credentials;
    private final Supplier<List<String>> uris;

    /**
     * @param credentials mints the username/password pair (null when TURN is off)
     * @param uris the URIs to offer, asked on every request because the relay's ports are known only once it runs
     */
    public TurnOffer(TurnCredentials credentials, Supplier<List<String>> uris) {
        this.credentials = credentials;
        this.uris = Objects.requireNonNull(uris, "uris");
    }

    /** True when there is a TURN server to offer. */
    public boolean available() {
        return credentials != null && !uris.get().isEmpty();
    }

    /** Credentials for {@code userId}; call only when {@link #available()}. */
    public Offer offerFor(String userId) {
        TurnCredentials.Credential credential = credentials.mint(userId);
        return new Offer(credential.username(), credential.password(), uris.get(), credential.ttl().toSeconds());
    }

    /**
     * The standard URI set for a relay on {@code host}: turn over UDP and TCP on {@code port}, turns over TLS on
     * {@code tlsPort}; a negative port leaves that URI out.
     */
    public static List<String> relayUris(String host, int port, int tcpPort, int tlsPort) {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        List<String> out = new ArrayList<>();
        if (port >= 0) {
            out.add("turn:" + h + ":" + port + "?transport=udp");
        }
        if (tcpPort >= 0) {
            out.add("turn:" + h + ":" + tcpPort + "?transport=tcp");
        }
        if (tlsPort >= 0) {
            out.add("turns:" + h + ":" + tlsPort + "?transport=tcp");
        }
        return List.copyOf(out);
    }
}
