package org.myelin.homeserver.http;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;

import com.sun.management.UnixOperatingSystemMXBean;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

/**
 * Protects the HTTP listeners from clients that hold connections without using them: caps the number of open
 * connections (one beyond the cap is closed as soon as it is accepted, so the process never runs out of file
 * descriptors and existing clients keep working), enforces header, body and idle deadlines
 * ({@link RequestTimeouts}) and closes connections without resetting them ({@link LingeringClose}).
 */
public final class HttpConnectionLimits implements NettyServerCustomizer {

    private static final Logger LOG = LoggerFactory.getLogger(HttpConnectionLimits.class);

    private final Duration headerTimeout;
    private final Duration bodyTimeout;
    private final Duration idleTimeout;
    private final int maxConnections;
    private final long maxDiscardBytes;
    private final RateLimitedWarning capReached;

    /**
     * @param maxConnections the configured cap; the effective cap is at most three quarters of the process's file
     *     descriptor limit, which leaves descriptors for the database pool, log files and the TURN relay
     * @param maxRequestBytes the request size limit; a closing connection discards at most twice that much
     */
    public HttpConnectionLimits(Duration headerTimeout, Duration bodyTimeout, Duration idleTimeout,
            int maxConnections, long maxRequestBytes) {
        this.headerTimeout = headerTimeout;
        this.bodyTimeout = bodyTimeout;
        this.idleTimeout = idleTimeout;
        this.maxConnections = effectiveCap(maxConnections, fileDescriptorLimit());
        this.maxDiscardBytes = 2 * maxRequestBytes;
        this.capReached = new RateLimitedWarning(LOG,
                "HTTP connection cap " + this.maxConnections + " reached; closing new connections");
        LOG.info("HTTP: at most {} connections; header timeout {}, body timeout {}, idle timeout {}",
                this.maxConnections, headerTimeout, bodyTimeout, idleTimeout);
    }

    /** The cap actually applied. */
    public int maxConnections() {
        return maxConnections;
    }

    static int effectiveCap(int configured, long fdLimit) {
        return fdLimit <= 0 ? configured : (int) Math.max(1, Math.min(configured, fdLimit * 3 / 4));
    }

    private static long fileDescriptorLimit() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
                ? unix.getMaxFileDescriptorCount()
                : -1;
    }

    @Override
    public HttpServer apply(HttpServer server) {
        AtomicInteger open = new AtomicInteger();
        return server.doOnChannelInit((observer, channel, remote) -> {
            if (open.incrementAndGet() > maxConnections) {
                open.decrementAndGet();
                capReached.warn();
                channel.config().setAutoRead(false);
                channel.eventLoop().execute(channel::close);
                return;
            }
            channel.closeFuture().addListener(f -> open.decrementAndGet());
            install(channel);
        });
    }

    private void install(Channel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        RequestTimeouts timeouts = new RequestTimeouts(headerTimeout, bodyTimeout, idleTimeout);
        pipeline.addFirst("myelin.lingeringClose", new LingeringClose(maxDiscardBytes));
        pipeline.addBefore(NettyPipeline.HttpCodec, "myelin.rawTimeouts", timeouts.raw());
        pipeline.addAfter(NettyPipeline.HttpCodec, "myelin.requestTimeouts", timeouts.decoded());
        pipeline.addAfter("myelin.requestTimeouts", "myelin.malformedRequests", new MalformedRequestAnswer());
    }
}
