package org.myelin.federation.server.sender;

import java.time.Clock;

import org.myelin.db.federation.DestinationRepository;
import org.myelin.ephemeral.OutboundEdus;
import org.myelin.federation.protocol.id.ServerName;

import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/**
 * Queues the EDUs of local users' typing and receipts for every other server in the room, in PostgreSQL, and wakes
 * this node's sender; the queue survives a restart and is sent by whichever node holds the destination's lease.
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
        return destinations.enqueueForRoom(roomId, self.value(), eduType, content.toString(), clock.millis())
                .doOnNext(queued -> {
                    if (queued > 0) {
                        sender.wake();
                    }
                }).then();
    }
}
