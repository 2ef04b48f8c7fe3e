package org.myelin.homeserver.notify;

import org.myelin.db.notify.StreamNotifier;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the node's LISTEN connection before the HTTP server takes requests and closes it after the HTTP server
 * has stopped (a lower phase than the web server's, which starts later and stops earlier).
 */
final class StreamNotifierLifecycle implements SmartLifecycle {

    private static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private final StreamNotifier notifier;

    StreamNotifierLifecycle(StreamNotifier notifier) {
        this.notifier = notifier;
    }

    @Override
    public void start() {
        notifier.start();
    }

    @Override
    public void stop() {
        notifier.stop();
    }

    @Override
    public boolean isRunning() {
        return notifier.isRunning();
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
