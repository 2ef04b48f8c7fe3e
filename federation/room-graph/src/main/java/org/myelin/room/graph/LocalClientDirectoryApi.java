package org.myelin.room.graph;

import java.util.ArrayList;
import java.util.List;

import org.myelin.db.room.AliasRow;
import org.myelin.db.room.RoomDirectoryRepository;
import org.myelin.db.room.RoomRow;
import org.myelin.federation.protocol.auth.Membership;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.RoomAlias;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.room.api.AliasTarget;
import org.myelin.room.api.ClientDirectoryApi;
import org.myelin.room.api.RemoteAliases;
import org.myelin.room.api.PublicRoomsPage;
import org.myelin.room.api.PublicRoomsRequest;

import reactor.core.publisher.Mono;

/**
 * {@link ClientDirectoryApi} over this server's alias table and room directory. Who may do what follows Synapse:
 * creating an alias needs membership; deleting one needs to be its creator or to have the power to send
 * m.room.canonical_alias, which is also what listing or unlisting a room needs.
 */
public final class LocalClientDirectoryApi implements ClientDirectoryApi {

    private final RoomEventService events;
    private final RoomStore store;
    private final RoomDirectoryRepository directory;
    private final RoomPowers powers;
    private final PublicRoomsPager pager;
    private final ServerName serverName;
    private final RemoteAliases remoteAliases;

    public LocalClientDirectoryApi(RoomEventService events, RoomStore store, ServerName serverName,
            RemoteAliases remoteAliases) {
        this.events = events;
        this.remoteAliases = remoteAliases;
        this.store = store;
        this.directory = new RoomDirectoryRepository(store.db());
        this.powers = new RoomPowers(store);
        this.pager = new PublicRoomsPager(directory);
        this.serverName = serverName;
    }

    @Override
    public Mono<Void> createAlias(UserId user, RoomAlias alias, RoomId roomId) {
        return requireLocal(alias).then(store.memberships().find(roomId.value(), user.toString())
                .filter(m -> Membership.JOIN.value().equals(m.membership()))
                .switchIfEmpty(Mono.error(() -> MatrixException.forbidden("You must be in the room to alias it")))
                .flatMap(m -> store.aliases().create(alias.toString(), roomId.value(), user.toString()))
                .flatMap(created -> created ? Mono.<Void>empty()
                        : Mono.error(new MatrixException(ErrCode.M_UNKNOWN, 409,
                                "Room alias " + alias + " already exists"))));
    }

    @Override
    public Mono<AliasTarget> resolveAlias(RoomAlias alias) {
        if (!alias.server().equals(serverName)) {
            return remoteAliases.resolve(alias);
        }
        return store.aliases().resolve(alias.toString())
                .switchIfEmpty(Mono.error(() -> MatrixException.notFound("Room alias " + alias + " not found")))
                .flatMap(roomId -> directory.serversOf(roomId).map(servers -> {
                    List<ServerName> ordered = new ArrayList<>(List.of(serverName));
                    servers.stream().map(ServerName::parse).filter(s -> !s.equals(serverName)).forEach(ordered::add);
                    return new AliasTarget(new RoomId(roomId), ordered);
                }));
    }

    @Override
    public Mono<Void> deleteAlias(UserId user, RoomAlias alias) {
        return requireLocal(alias).then(store.aliases().find(alias.toString())
                .switchIfEmpty(Mono.error(() -> MatrixException.notFound("Room alias " + alias + " not found")))
                .flatMap(row -> mayDelete(user, row)
                        .flatMap(allowed -> allowed ? store.aliases().delete(row.alias())
                                : Mono.error(MatrixException.forbidden("You may not delete this alias")))
                        .then(Mono.defer(() -> dropFromCanonicalAlias(user, row)))));
    }

    @Override
    public Mono<List<RoomAlias>> localAliases(UserId user, RoomId roomId) {
        String room = roomId.value();
        Mono<Boolean> member = store.memberships().find(room, user.toString())
                .map(m -> Membership.JOIN.value().equals(m.membership()));
        Mono<Boolean> worldReadable = store.currentState().event(room, "m.room.history_visibility", "")
                .map(row -> "world_readable".equals(EventContent.of(row.json()).path("history_visibility")
                        .stringValue("")));
        return member.filter(Boolean::booleanValue).switchIfEmpty(worldReadable).defaultIfEmpty(false)
                .flatMap(allowed -> allowed ? store.aliases().aliasesOf(room)
                        : Mono.error(MatrixException.forbidden("You are not in room " + room)))
                .map(aliases -> aliases.stream().map(RoomAlias::parse).toList());
    }

    @Override
    public Mono<Boolean> isPublished(RoomId roomId) {
        return knownRoom(roomId).map(RoomRow::isPublic);
    }

    @Override
    public Mono<Void> setPublished(UserId user, RoomId roomId, boolean published) {
        return knownRoom(roomId)
                .flatMap(room -> powers.maySendState(user, room, CanonicalAliases.TYPE))
                .flatMap(allowed -> allowed ? directory.setPublic(roomId.value(), published)
                        : Mono.error(MatrixException.forbidden("You may not change this room's directory listing")))
                .then();
    }

    @Override
    public Mono<PublicRoomsPage> publicRooms(PublicRoomsRequest request) {
        return pager.page(request);
    }

    private Mono<RoomRow> knownRoom(RoomId roomId) {
        return store.rooms().find(roomId.value())
                .switchIfEmpty(Mono.error(() -> MatrixException.notFound("Unknown room " + roomId.value())));
    }

    private Mono<Boolean> mayDelete(UserId user, AliasRow alias) {
        if (user.toString().equals(alias.creator())) {
            return Mono.just(true);
        }
        return store.rooms().find(alias.roomId())
                .flatMap(room -> powers.maySendState(user, room, CanonicalAliases.TYPE))
                .defaultIfEmpty(false);
    }

    /**
     * Takes a deleted alias out of the room's m.room.canonical_alias, as the deleting user. The spec recommends
     * deleting the alias even when the user may not change that event, so a refusal by the auth rules is ignored.
     */
    private Mono<Void> dropFromCanonicalAlias(UserId user, AliasRow alias) {
        RoomId roomId = new RoomId(alias.roomId());
        return store.currentState().event(alias.roomId(), CanonicalAliases.TYPE, "")
                .mapNotNull(row -> CanonicalAliases.without(EventContent.of(row.json()), alias.alias()))
                .flatMap(content -> events.append(EventDraft.state(roomId, user, CanonicalAliases.TYPE, "", content)))
                .onErrorResume(e -> e instanceof MatrixException m && m.errCode() == ErrCode.M_FORBIDDEN,
                        e -> Mono.empty())
                .then();
    }

    private Mono<Void> requireLocal(RoomAlias alias) {
        return alias.server().equals(serverName) ? Mono.empty()
                : Mono.error(MatrixException.invalidParam("Room alias must be on " + serverName.value()));
    }
}
