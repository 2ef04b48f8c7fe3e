package org.myelin.voip.relay;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ServerSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Myelin's TURN/STUN relay (RFC 8656 over RFC 8489): UDP and TCP listeners (3478), TLS (5349), UDP relay sockets, and a
 * sweeper that expires allocations, permissions, channels and cached transactions. Owns all of its threads and
 * sockets; {@link #start()} binds everything, {@link #close()} releases it.
 */
public final class TurnRelayServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TurnRelayServer.class);
    private static final int TRANSACTION_CACHE_ENTRIES = 65_536;

    private final TurnRelayConfig config;
    private final MeterRegistry registry;
    private final Clock clock;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private AllocationTable table;
    private UdpListener udp;
    private StreamListener tcp;
    private StreamListener tls;
    private ScheduledExecutorService sweeper;
    private InetAddress advertisedAddress;

    /** A relay on the system clock. */
    public TurnRelayServer(TurnRelayConfig config, MeterRegistry registry) {
        this(config, registry, Clock.systemUTC());
    }

    public TurnRelayServer(TurnRelayConfig config, MeterRegistry registry, Clock clock) {
        this.config = config;
        this.registry = registry;
        this.clock = clock;
    }

    /**
     * Binds the listeners and starts the relay threads.
     *
     * @throws IOException when a port cannot be bound or the TLS certificate cannot be loaded
     */
    public synchronized void start() throws IOException {
        if (table != null) {
            throw new IllegalStateException("already started");
        }
        System.setProperty("ice4j.harvest.mapping.aws.enabled", "false");
        System.setProperty("org.ice4j.ice.harvest.DISABLE_AWS_HARVESTER", "true");
        table = new AllocationTable(config, clock);
        advertisedAddress = advertisedAddress(config);
        RelayMetrics metrics = new RelayMetrics(registry, table);
        DataPath dataPath = new DataPath(table, metrics);
        TransactionCache transactions = new TransactionCache(clock, TRANSACTION_CACHE_ENTRIES);
        try {
            RelaySocketLoop loop = new RelaySocketLoop(config.listenAddress(), dataPath);
            resources.add(loop);
            ClientMessageHandler handler = new ClientMessageHandler(dataPath,
                    new LongTermAuthenticator(config.realm(), config.sharedSecret(),
                            new NonceIssuer(config.nonceLifetime(), clock), clock, metrics::authFailure),
                    transactions, new AllocateHandler(table, loop, advertisedAddress),
                    new PermissionHandler(table, new PeerAddressPolicy(config.allowedPeerCidrs())));
            loop.start();
            if (config.udpPort() >= 0) {
                udp = new UdpListener(new InetSocketAddress(config.listenAddress(), config.udpPort()), handler);
                resources.add(udp);
                udp.start();
            }
            if (config.tcpPort() >= 0) {
                tcp = streamListener(ServerSocketFactory.getDefault(), config.tcpPort(), FiveTuple.Transport.TCP,
                        handler);
            }
            if (config.tlsPort() >= 0) {
                tls = streamListener(TlsContexts.forConfig(config).getServerSocketFactory(), config.tlsPort(),
                        FiveTuple.Transport.TLS, handler);
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            close();
            throw e instanceof IOException io ? io : new IOException("cannot start the TURN relay", e);
        }
        sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "myelin-turn-sweeper");
            thread.setDaemon(true);
            return thread;
        });
        sweeper.scheduleWithFixedDelay(() -> {
            table.expire();
            transactions.expire();
        }, 1, 1, TimeUnit.SECONDS);
        LOG.info("TURN relay listening: udp={} tcp={} tls={}, relaying on {} ports {}-{}", udpAddress(),
                tcpAddress(), tlsAddress(), advertisedAddress.getHostAddress(), config.relayPortMin(),
                config.relayPortMax());
    }

    private StreamListener streamListener(ServerSocketFactory factory, int port, FiveTuple.Transport transport,
            ClientMessageHandler handler) throws IOException {
        StreamListener listener = new StreamListener(factory, new InetSocketAddress(config.listenAddress(), port),
                transport, handler, fiveTuple -> {
                    Allocation allocation = table.find(fiveTuple);
                    if (allocation != null) {
                        table.remove(allocation);
                    }
                });
        resources.add(listener);
        listener.start();
        return listener;
    }

    /** The bound UDP listener address, or {@code null} when UDP is off or the relay is not started. */
    public synchronized InetSocketAddress udpAddress() {
        return udp == null ? null : udp.localAddress();
    }

    /** The bound TCP listener address, or {@code null}. */
    public synchronized InetSocketAddress tcpAddress() {
        return tcp == null ? null : tcp.localAddress();
    }

    /** The bound TLS listener address, or {@code null}. */
    public synchronized InetSocketAddress tlsAddress() {
        return tls == null ? null : tls.localAddress();
    }

    /** The address relayed transport addresses are advertised with. */
    public synchronized InetAddress advertisedAddress() {
        return advertisedAddress;
    }

    /** How many allocations are live. */
    public synchronized int allocationCount() {
        return table == null ? 0 : table.size();
    }

    /** Stops the listeners and threads and deletes every allocation. Idempotent. */
    @Override
    public synchronized void close() {
        if (sweeper != null) {
            sweeper.shutdownNow();
            sweeper = null;
        }
        Collections.reverse(resources);
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("closing TURN relay resource {}", resource, e);
            }
        }
        resources.clear();
        udp = null;
        tcp = null;
        tls = null;
        if (table != null) {
            table.clear();
        }
    }

    private static InetAddress advertisedAddress(TurnRelayConfig config) throws IOException {
        if (config.externalAddress() != null) {
            return config.externalAddress();
        }
        if (!config.listenAddress().isAnyLocalAddress()) {
            return config.listenAddress();
        }
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address && !address.isLinkLocalAddress()) {
                        return address;
                    }
                }
            }
        } catch (SocketException e) {
            throw new IOException("cannot list network interfaces for the advertised TURN address", e);
        }
        return InetAddress.getLoopbackAddress();
    }
}
