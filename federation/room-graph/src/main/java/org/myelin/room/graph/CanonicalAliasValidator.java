package org.myelin.room.graph;

import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.RoomAlias;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.room.api.StateContent;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Checks an m.room.canonical_alias a client sends ({@link CanonicalAliases}): every alias it adds must be well
 * formed (400 M_INVALID_PARAM) and, when it is this server's, must point at the room (400 M_BAD_ALIAS). Other
 * servers' aliases cannot be resolved until federation exists, so they are accepted as they are.
 */
final class CanonicalAliasValidator {

    private final RoomStore store;
    private final ServerName serverName;

    CanonicalAliasValidator(RoomStore store, ServerName serverName) {
        this.store = store;
        this.serverName = serverName;
    }

    /** Completes when {@code state} is not a canonical alias event or its new aliases are acceptable. */
    Mono<Void> check(RoomId roomId, StateContent state) {
        if (!CanonicalAliases.TYPE.equals(state.type()) || !state.stateKey().isEmpty()) {
            return Mono.empty();
        }
        return store.currentState().event(roomId.value(), CanonicalAliases.TYPE, "")
                .map(row -> EventContent.of(row.json()))
                .defaultIfEmpty(JsonNodeFactory.instance.objectNode())
                .flatMapMany(previous -> Flux.fromIterable(CanonicalAliases.added(state.content(), previous)))
                .filter(alias -> alias.server().equals(serverName))
                .concatMap(alias -> pointsAt(alias, roomId))
                .then();
    }

    private Mono<String> pointsAt(RoomAlias alias, RoomId roomId) {
        return store.aliases().resolve(alias.toString())
                .filter(roomId.value()::equals)
                .switchIfEmpty(Mono.error(() -> new MatrixException(ErrCode.M_BAD_ALIAS,
                        "Room alias " + alias + " does not point to the room")));
    }
}
