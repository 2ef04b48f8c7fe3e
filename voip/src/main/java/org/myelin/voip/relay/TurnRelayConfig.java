package org.myelin.voip.relay;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Settings of Myelin's TURN/STUN relay. Build one with {@link #builder(String)}; every field but the shared secret has
 * a default. A port of {@code 0} binds an ephemeral port (tests), {@code -1} turns that listener off.
 *
 * @param enabled whether the homeserver starts the relay (default {@code true})
 * @param realm the long-term credential realm sent in 401 challenges (default {@code "myelin"})
 * @param sharedSecret the TURN REST shared secret, also used by the credentials endpoint (required)
 * @param listenAddress where the UDP, TCP and TLS listeners and the relay sockets bind (default {@code 0.0.0.0})
 * @param udpPort the STUN/TURN UDP port (default 3478)
 * @param tcpPort the STUN/TURN TCP port (default 3478)
 * @param tlsPort the TURN-over-TLS port (default 5349; 443 works too when the process may bind it)
 * @param tlsCertificatePath a PEM certificate chain or a PKCS#12 keystore ({@code .p12}/{@code .pfx}); when
 *     {@code null}, a self-signed certificate is generated at start (default {@code null})
 * @param tlsPrivateKeyPath the PEM private key that goes with a PEM certificate (default {@code null})
 * @param tlsKeyStorePassword the PKCS#12 keystore password (default empty)
 * @param relayPortMin the lowest relay port (default 49152)
 * @param relayPortMax the highest relay port (default 65535)
 * @param externalAddress the address advertised in XOR-RELAYED-ADDRESS, for a relay behind 1:1 NAT; when
 *     {@code null}, the listen address, or for a wildcard listen address the host's first site address (default
 *     {@code null})
 * @param allowedPeerCidrs peer ranges allowed although they are loopback, private, link-local etc., e.g.
 *     {@code 127.0.0.0/8} in tests (default none)
 * @param maxAllocationsPerUser how many allocations one user may hold at once, 486 beyond (default 10)
 * @param bandwidthLimitBytesPerSecond bytes per second one allocation may relay, both directions together;
 *     {@code 0} means unlimited (default 1,250,000, i.e. 10 Mbit/s)
 * @param defaultLifetime the allocation lifetime when the client asks for less (default 600 s)
 * @param maxLifetime the longest allocation lifetime granted (default 3600 s)
 * @param nonceLifetime how long a NONCE is accepted before 438 Stale Nonce (default 600 s)
 */
public record TurnRelayConfig(
        boolean enabled,
        String realm,
        String sharedSecret,
        InetAddress listenAddress,
        int udpPort,
        int tcpPort,
        int tlsPort,
        Path tlsCertificatePath,
        Path tlsPrivateKeyPath,
        String tlsKeyStorePassword,
        int relayPortMin,
        int relayPortMax,
        InetAddress externalAddress,
        List<String> allowedPeerCidrs,
        int maxAllocationsPerUser,
        long bandwidthLimitBytesPerSecond,
        Duration defaultLifetime,
        Duration maxLifetime,
        Duration nonceLifetime) {

    /** Validates the settings and copies the list. */
    public TurnRelayConfig {
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(sharedSecret, "sharedSecret");
        Objects.requireNonNull(listenAddress, "listenAddress");
        Objects.requireNonNull(defaultLifetime, "defaultLifetime");
        Objects.requireNonNull(maxLifetime, "maxLifetime");
        Objects.requireNonNull(nonceLifetime, "nonceLifetime");
        allowedPeerCidrs = List.copyOf(allowedPeerCidrs);
        tlsKeyStorePassword = tlsKeyStorePassword == null ? "" : tlsKeyStorePassword;
        if (enabled && sharedSecret.isEmpty()) {
            throw new IllegalArgumentException("the TURN relay needs a shared secret");
        }
        if (relayPortMin < 1 || relayPortMax > 65535 || relayPortMin > relayPortMax) {
            throw new IllegalArgumentException("bad relay port range " + relayPortMin + "-" + relayPortMax);
        }
        for (int port : new int[] {udpPort, tcpPort, tlsPort}) {
            if (port < -1 || port > 65535) {
                throw new IllegalArgumentException("bad listener port " + port);
            }
        }
        if (maxAllocationsPerUser < 1 || bandwidthLimitBytesPerSecond < 0) {
            throw new IllegalArgumentException("quota and bandwidth limit must not be negative");
        }
        if (defaultLifetime.toSeconds() < 1 || maxLifetime.compareTo(defaultLifetime) < 0
                || nonceLifetime.toSeconds() < 1) {
            throw new IllegalArgumentException("lifetimes must be positive and max >= default");
        }
    }

    /** A builder holding every default, for the given shared secret. */
    public static Builder builder(String sharedSecret) {
        return new Builder(sharedSecret);
    }

    /** A copy of this configuration in a builder, to change a few fields. */
    public Builder toBuilder() {
        return new Builder(sharedSecret).enabled(enabled).realm(realm).listenAddress(listenAddress)
                .udpPort(udpPort).tcpPort(tcpPort).tlsPort(tlsPort)
                .tls(tlsCertificatePath, tlsPrivateKeyPath, tlsKeyStorePassword)
                .relayPorts(relayPortMin, relayPortMax).externalAddress(externalAddress)
                .allowedPeerCidrs(allowedPeerCidrs).maxAllocationsPerUser(maxAllocationsPerUser)
                .bandwidthLimitBytesPerSecond(bandwidthLimitBytesPerSecond)
                .lifetimes(defaultLifetime, maxLifetime).nonceLifetime(nonceLifetime);
    }

    /** Mutable holder of {@link TurnRelayConfig} fields, pre-filled with the defaults. */
    public static final class Builder {
        private boolean enabled = true;
        private String realm = "myelin";
        private final String sharedSecret;
        private InetAddress listenAddress = wildcardAddress();
        private int udpPort = 3478;
        private int tcpPort = 3478;
        private int tlsPort = 5349;
        private Path tlsCertificatePath;
        private Path tlsPrivateKeyPath;
        private String tlsKeyStorePassword = "";
        private int relayPortMin = 49152;
        private int relayPortMax = 65535;
        private InetAddress externalAddress;
        private List<String> allowedPeerCidrs = List.of();
        private int maxAllocationsPerUser = 10;
        private long bandwidthLimitBytesPerSecond = 1_250_000;
        private Duration defaultLifetime = Duration.ofSeconds(600);
        private Duration maxLifetime = Duration.ofSeconds(3600);
        private Duration nonceLifetime = Duration.ofSeconds(600);

        private Builder(String sharedSecret) {
            this.sharedSecret = sharedSecret;
        }

        private static InetAddress wildcardAddress() {
            try {
                return InetAddress.getByAddress(new byte[4]);
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }

        public Builder enabled(boolean value) { enabled = value; return this; }
        public Builder realm(String value) { realm = value; return this; }
        public Builder listenAddress(InetAddress value) { listenAddress = value; return this; }
        public Builder udpPort(int value) { udpPort = value; return this; }
        public Builder tcpPort(int value) { tcpPort = value; return this; }
        public Builder tlsPort(int value) { tlsPort = value; return this; }
        public Builder relayPorts(int min, int max) { relayPortMin = min; relayPortMax = max; return this; }
        public Builder externalAddress(InetAddress value) { externalAddress = value; return this; }
        public Builder allowedPeerCidrs(List<String> value) { allowedPeerCidrs = value; return this; }
        public Builder maxAllocationsPerUser(int value) { maxAllocationsPerUser = value; return this; }
        public Builder bandwidthLimitBytesPerSecond(long value) { bandwidthLimitBytesPerSecond = value; return this; }
        public Builder nonceLifetime(Duration value) { nonceLifetime = value; return this; }

        /** Sets the default and maximum allocation lifetimes. */
        public Builder lifetimes(Duration defaultValue, Duration maxValue) {
            defaultLifetime = defaultValue;
            maxLifetime = maxValue;
            return this;
        }

        /** Sets the TLS certificate (PEM chain or PKCS#12), PEM key and keystore password. */
        public Builder tls(Path certificate, Path privateKey, String keyStorePassword) {
            tlsCertificatePath = certificate;
            tlsPrivateKeyPath = privateKey;
            tlsKeyStorePassword = keyStorePassword;
            return this;
        }

        public TurnRelayConfig build() {
            return new TurnRelayConfig(enabled, realm, sharedSecret, listenAddress, udpPort, tcpPort, tlsPort,
                    tlsCertificatePath, tlsPrivateKeyPath, tlsKeyStorePassword, relayPortMin, relayPortMax,
                    externalAddress, allowedPeerCidrs, maxAllocationsPerUser, bandwidthLimitBytesPerSecond,
                    defaultLifetime, maxLifetime, nonceLifetime);
        }
    }
}
