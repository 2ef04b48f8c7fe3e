package org.myelin.homeserver.federation;

import java.security.cert.X509Certificate;

import javax.net.ssl.SSLException;

import org.myelin.homeserver.http.HttpConnectionLimits;
import org.myelin.homeserver.startup.StartupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The TLS listener other homeservers connect to ({@code MYELIN_FEDERATION_PORT}, default 8448; -1 turns it off). It
 * runs the application's own handler behind {@link FederationPaths}, with the client listener's connection limits
 * and timeouts, and presents {@link FederationCertificate}. Port 0 picks a free port ({@link #port()}), for tests.
 */
public final class FederationListener implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(FederationListener.class);
    /** Before the client listener (DEFAULT_PHASE - 1024), so a server that answers clients federates too. */
    private static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 2048;

    private final Settings settings;
    private final ObjectProvider<HttpHandler> application;
    private final HttpConnectionLimits limits;
    private DisposableServer server;

    /**
     * @param port        the port, 0 for any free one, -1 for no listener
     * @param clientApi   whether the Client-Server API is served here too
     * @param certificate what the listener presents; null when it is off
     */
    record Settings(String host, int port, boolean clientApi, FederationCertificate certificate) {
    }

    /** @param application the application's handler, looked up at start when the context is complete */
    FederationListener(Settings settings, ObjectProvider<HttpHandler> application, HttpConnectionLimits limits) {
        this.settings = settings;
        this.application = application;
        this.limits = limits;
    }

    @Override
    public synchronized void start() {
        if (settings.port() == -1) {
            LOG.info("Federation is off (MYELIN_FEDERATION_PORT=-1)");
            return;
        }
        SslContext ssl;
        try {
            ssl = SslContextBuilder.forServer(settings.certificate().key(),
                    settings.certificate().chain().toArray(new X509Certificate[0])).build();
        } catch (SSLException e) {
            throw new StartupException("the federation TLS context could not be built: " + e.getMessage());
        }
        HttpServer http = limits.apply(HttpServer.create().host(settings.host()).port(settings.port())
                .secure(spec -> spec.sslContext(ssl))
                .handle(new ReactorHttpHandlerAdapter(new FederationPaths(application.getObject(), settings.clientApi()))));
        try {
            server = http.bindNow();
        } catch (RuntimeException e) {
            throw new StartupException("the federation listener could not bind " + settings.host() + ":"
                    + settings.port() + ": " + e.getMessage());
        }
        LOG.info("Federation listening with TLS on {}:{}{}", settings.host(), port(),
                settings.clientApi() ? " (Client-Server API too)" : "");
    }

    @Override
    public synchronized void stop() {
        if (server != null) {
            server.disposeNow();
            server = null;
        }
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    @Override
    public synchronized boolean isRunning() {
        return server != null;
    }

    /** The port bound; -1 when not running. */
    public synchronized int port() {
        return server == null ? -1 : server.port();
    }
}
