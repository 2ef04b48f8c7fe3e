package org.myelin.federation.server.sender;

import java.time.Clock;

import org.myelin.db.federation.DestinationRepository;
import org.myelin.ephemeral.OutboundEdus;
import org.myelin.federation.protocol.id.ServerName;

import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/**
 * Queues the EDUs of local users (typing, receipts, device-list changes, to-device messages) for the servers they
 * concern, in PostgreSQL, and wakes this node's sender; the queue survives a restart and is sent by whichever node
 * holds the destination's lease.
 */
public final class EduQueue implements OutboundEdus {

    private final ServerName self;
    private final DestinationRepository destinations;
    private final FederationSender sender;
    private final Clock clock;

    public EduQueue(ServerName self, DestinationRepository destinations, FederationSender sender, Clock clock) {
        this.self = self;
        this.destinations = destinations;
        this.sender = sender;
        this.clock = clock;
    }

    @Override
    public Mono<Void> toRoom(String roomId, String eduType, ObjectNode content) {
        return woken(destinations.enqueueForRoom(roomId, self.value(), eduType, content.toString(), clock.millis()));
    }

    @Override
    public Mono<Void> toServersOf(String userId, String eduType, ObjectNode content) {
        return woken(destinations.enqueueForServersOf(userId, self.value(), eduType, content.toString(),
                clock.millis()));
    }

    @Override
    public Mono<Void> toServer(String server, String eduType, ObjectNode content) {
        if (server.equals(self.value())) {
            return Mono.empty();
        }
        return woken(destinations.enqueue(server, eduType, content.toString(), clock.millis()));
    }

    /*
     * Called inside the change's transaction, a wake-up may run before COMMIT and find nothing; the sender's next
     * tick (at most a second later) sends it then.
     */
    private Mono<Void> woken(Mono<Long> queued) {
        return queued.doOnNext(n -> {
            if (n > 0) {
                sender.wake();
            }
        }).then();
    }
}
