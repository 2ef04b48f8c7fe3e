package org.myelin.ephemeral.typing;

import java.time.Clock;
import java.util.List;

import org.myelin.db.ephemeral.TypingRepository;
import org.myelin.ephemeral.LocalServer;
import org.myelin.ephemeral.OutboundEdus;
import org.myelin.ephemeral.StreamWriter;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Sets a user's typing state in a room on the "typing" stream. Who types is decided at read time from the stored
 * expiry; {@link TypingSweeper} gives lapsed notifications a position.
 */
@Component
public class TypingService {

    /** The stream's name in sync tokens and wake-ups. */
    public static final String STREAM = "typing";
    /** Longer timeouts are cut to this, so a crashed client's (or server's) notification lapses soon. */
    public static final long MAX_TIMEOUT_MS = 120_000;

    private final StreamWriter writer;
    private final TypingRepository typing;
    private final Clock clock;
    private final LocalServer localServer;
    private final OutboundEdus outbound;

    public TypingService(StreamWriter writer, TypingRepository typing, Clock clock, LocalServer localServer,
            OutboundEdus outbound) {
        this.writer = writer;
        this.typing = typing;
        this.localServer = localServer;
        this.outbound = outbound;
        this.clock = clock;
    }

    /**
     * Starts ({@code typing}) or stops the user's typing notification in the room. A start lasts {@code timeoutMs},
     * at most {@link #MAX_TIMEOUT_MS}; a stop that changes nothing takes a position but wakes nobody. A local
     * user's change also goes to the other servers in the room as an {@code m.typing} EDU.
     */
    public Mono<Void> setTyping(String roomId, String userId, boolean typing, long timeoutMs) {
        long now = clock.millis();
        return writer.write(STREAM, 1, position -> typing
                ? this.typing.start(roomId, userId, now + capped(timeoutMs), position).thenReturn(List.of(roomId))
                : this.typing.stop(roomId, userId, now, position)
                        .map(changed -> changed ? List.of(roomId) : List.of()))
                .then(localServer.isLocal(userId) ? outbound.toRoom(roomId, "m.typing", JsonNodeFactory.instance
                        .objectNode().put("room_id", roomId).put("user_id", userId).put("typing", typing))
                        : Mono.empty());
    }

    /** {@code timeoutMs} cut to {@link #MAX_TIMEOUT_MS}. */
    static long capped(long timeoutMs) {
        return Math.min(timeoutMs, MAX_TIMEOUT_MS);
    }
}
