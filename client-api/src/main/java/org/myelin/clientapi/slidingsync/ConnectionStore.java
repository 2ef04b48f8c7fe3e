package org.myelin.clientapi.slidingsync;

import java.time.Clock;
import java.time.Duration;

import org.myelin.clientapi.auth.Requester;
import org.myelin.db.slidingsync.SlidingSyncConnectionRepository;
import org.myelin.db.slidingsync.SlidingSyncConnectionRepository.Connection;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/**
 * Sliding sync connection state in PostgreSQL, so a client may continue on any node. A connection is keyed by
 * (user, device, conn_id) as in Synapse (a token without device by its own ID). A pos names a stored position of
 * the asker's connection; one that does not (never did, was superseded, or belongs to someone else) or whose
 * connection went unused for longer than the expiry is 400 {@code M_UNKNOWN_POS}, and the client starts over.
 * Recording a response's state adds a position only when the state changed; a connection keeps at most two.
 * Starting a connection also deletes every connection that went unused for longer than the expiry.
 */
@Component
public class ConnectionStore {

    /** Connections one device may keep; starting one more forgets the least recently used. */
    static final int MAX_PER_DEVICE = 10;
    /** How stale last_used may get before a request that records nothing writes it. */
    private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(10);

    private final SlidingSyncConnectionRepository connections;
    private final SlidingSyncSettings settings;
    private final ObjectMapper mapper;
    private final Clock clock;

    public ConnectionStore(SlidingSyncConnectionRepository connections, SlidingSyncSettings settings,
            ObjectMapper mapper, Clock clock) {
        this.connections = connections;
        this.settings = settings;
        this.mapper = mapper;
        this.clock = clock;
    }

    /**
     * A connection's state at a pos.
     *
     * @param key       the stored connection, or null when nothing is stored for this request yet
     * @param position  the pos's connection position (0: no state)
     * @param lastUsed  when the connection was last used (epoch ms)
     */
    record Loaded(Connection connection, Long key, long position, ConnectionState state, long lastUsed) {
    }

    /** The state the request continues from: nothing without pos (or at position 0), else the stored one. */
    Mono<Loaded> load(Requester requester, String connId, SlidingPos pos) {
        Connection connection = connection(requester, connId);
        if (pos == null || pos.connectionPosition() == 0) {
            return Mono.just(new Loaded(connection, null, 0, ConnectionState.EMPTY, 0));
        }
        return connections.find(connection, pos.connectionPosition())
                .switchIfEmpty(Mono.error(ConnectionStore::unknownPos))
                .flatMap(stored -> {
                    if (stored.lastUsedTs() < clock.millis() - settings.connectionExpiry().toMillis()) {
                        return connections.delete(stored.connectionKey()).then(Mono.error(unknownPos()));
                    }
                    return Mono.just(new Loaded(connection, stored.connectionKey(), stored.position(),
                            ConnectionState.fromJson(mapper, stored.state()), stored.lastUsedTs()));
                });
    }

    /** Records the state a response leaves; returns the connection position its pos names. */
    Mono<Long> record(Loaded loaded, ConnectionState next) {
        long now = clock.millis();
        if (loaded.key() != null && next.equals(loaded.state())) {
            long touchAfter = Math.min(TOUCH_INTERVAL.toMillis(), settings.connectionExpiry().toMillis() / 2);
            Mono<Void> touch = now - loaded.lastUsed() >= touchAfter ? connections.touch(loaded.key(), now)
                    : Mono.empty();
            return touch.thenReturn(loaded.position());
        }
        String state = next.toJson(mapper);
        if (loaded.key() == null) {
            return connections.start(loaded.connection(), state, now, MAX_PER_DEVICE,
                    now - settings.connectionExpiry().toMillis());
        }
        return connections.advance(loaded.key(), loaded.position(), state, now)
                .switchIfEmpty(Mono.error(ConnectionStore::unknownPos));
    }

    private static Connection connection(Requester requester, String connId) {
        String device = requester.deviceId() != null ? requester.deviceId() : "token " + requester.accessTokenId();
        return new Connection(requester.userId(), device, connId);
    }

    private static MatrixException unknownPos() {
        return new MatrixException(ErrCode.M_UNKNOWN_POS, "Unknown or expired pos; start again without pos");
    }
}
