package org.myelin.clientapi.room;

import java.util.List;

import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.RoomAlias;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.http.TextLimits;
import org.myelin.room.api.AliasTarget;
import org.myelin.room.api.ClientDirectoryApi;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * The room a {@code {roomIdOrAlias}} path variable names: a room ID as it is, an alias resolved through the
 * directory (404 M_NOT_FOUND when unknown), with the servers its entry lists; anything else is 400 M_INVALID_PARAM.
 */
@Component
public class RoomTargets {

    private final ClientDirectoryApi directory;

    public RoomTargets(ClientDirectoryApi directory) {
        this.directory = directory;
    }

    public Mono<AliasTarget> resolve(String roomIdOrAlias) {
        if (roomIdOrAlias.startsWith("#")) {
            return directory.resolveAlias(RoomAlias.parse(roomIdOrAlias));
        }
        if (roomIdOrAlias.startsWith("!")) {
            return Mono.just(new AliasTarget(RoomId.parse(roomIdOrAlias), List.of()));
        }
        return Mono.error(MatrixException.invalidParam(TextLimits.excerpt(roomIdOrAlias)
                + " is not a room ID or alias"));
    }
}
