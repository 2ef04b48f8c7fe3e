package org.myelin.homeserver.voip;

import java.io.IOException;

import org.myelin.homeserver.startup.StartupException;
import org.myelin.voip.relay.TurnRelayServer;
import org.springframework.context.SmartLifecycle;

/** Starts Myelin's TURN/STUN relay with the application and stops it on shutdown. */
final class TurnRelayLifecycle implements SmartLifecycle {

    private final TurnRelayServer relay;
    private volatile boolean running;

    TurnRelayLifecycle(TurnRelayServer relay) {
        this.relay = relay;
    }

    @Override
    public void start() {
        try {
            relay.start();
            running = true;
        } catch (IOException e) {
            throw new StartupException("the TURN relay cannot start: " + e.getMessage()
                    + " (set MYELIN_TURN_UDP_PORT/TCP_PORT/TLS_PORT, or MYELIN_TURN_ENABLED=false)");
        }
    }

    @Override
    public void stop() {
        relay.close();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
