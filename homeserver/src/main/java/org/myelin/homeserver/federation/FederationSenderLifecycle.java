package org.myelin.homeserver.federation;

import org.myelin.federation.server.sender.FederationSender;
import org.springframework.context.SmartLifecycle;

/** Runs the federation sender while the application runs and federation is on ({@code MYELIN_FEDERATION_PORT} not -1). */
final class FederationSenderLifecycle implements SmartLifecycle {

    private final FederationSender sender;
    private final boolean enabled;
    private boolean running;

    FederationSenderLifecycle(FederationSender sender, boolean enabled) {
        this.sender = sender;
        this.enabled = enabled;
    }

    @Override
    public synchronized void start() {
        if (enabled) {
            sender.start();
        }
        running = true;
    }

    @Override
    public synchronized void stop() {
        sender.stop();
        running = false;
    }

    @Override
    public synchronized boolean isRunning() {
        return running;
    }
}
