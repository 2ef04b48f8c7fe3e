package org.myelin.room.graph;

import java.security.SecureRandom;
import java.util.List;

import org.myelin.db.account.ProfileRepository;
import org.myelin.federation.protocol.auth.Membership;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.EventId;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.room.api.ClientRoomApi;
import org.myelin.room.api.CreateRoomRequest;
import org.myelin.room.api.MembersQuery;
import org.myelin.room.api.MembershipChange;
import org.myelin.room.api.MessagesPage;
import org.myelin.room.api.MessagesQuery;
import org.myelin.room.api.RemoteInvites;
import org.myelin.room.api.RemoteJoins;
import org.myelin.room.api.RemoteLeaves;
import org.myelin.room.api.RoomEvent;
import org.myelin.room.api.StateContent;

import reactor.core.publisher.Mono;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** {@link ClientRoomApi} over the local room graph. */
public final class LocalClientRoomApi implements ClientRoomApi {

    /** The key restricted joins name their authorising user under; only a resident server may set it. */
    private static final String AUTHORISING_USER = "join_authorised_via_users_server";

    private final RoomEventService events;
    private final RemoteJoins remoteJoins;
    private final RemoteInvites remoteInvites;
    private final RemoteLeaves remoteLeaves;
    private final ServerName serverName;
    private final RoomStore store;
    private final RoomCreation creation;
    private final RoomReader reader;
    private final ProfileRepository profiles;
    private final CanonicalAliasValidator canonicalAliases;

    public LocalClientRoomApi(RoomEventService events, RoomStore store, ProfileRepository profiles,
            ServerName serverName, SecureRandom random, RemoteJoins remoteJoins, RemoteInvites remoteInvites,
            RemoteLeaves remoteLeaves) {
        this.events = events;
        this.remoteJoins = remoteJoins;
        this.remoteInvites = remoteInvites;
        this.remoteLeaves = remoteLeaves;
        this.serverName = serverName;
        this.store = store;
        this.profiles = profiles;
        this.creation = new RoomCreation(events, store, serverName, random);
        this.reader = RoomReader.over(store, events.cpu());
        this.canonicalAliases = new CanonicalAliasValidator(store, serverName);
    }

    @Override
    public Mono<RoomId> createRoom(UserId creator, CreateRoomRequest request) {
        return memberContent(creator, Membership.JOIN, null)
                .flatMap(join -> creation.create(creator, request, join));
    }

    @Override
    public Mono<EventId> send(UserId sender, String deviceId, RoomId roomId, String type, ObjectNode content,
            String txnId) {
        String path = "/rooms/" + roomId.value() + "/send/" + type;
        return events.append(new EventDraft(roomId, sender, type, null, content, txnId, deviceId, path))
                .map(RoomEvent::eventId);
    }

    @Override
    public Mono<EventId> sendState(UserId sender, String deviceId, RoomId roomId, StateContent state) {
        return canonicalAliases.check(roomId, state)
                .then(Mono.defer(() -> events.append(new EventDraft(roomId, sender, state.type(), state.stateKey(),
                        state.content(), null, deviceId, null))))
                .map(RoomEvent::eventId);
    }

    @Override
    public Mono<EventId> changeMembership(MembershipChange change) {
        Membership membership = change.membership();
        if (membership == Membership.JOIN || membership == Membership.KNOCK) {
            return store.rooms().find(change.roomId().value()).hasElement().flatMap(known -> {
                if (known) {
                    return append(change);
                }
                if (membership == Membership.JOIN && change.sender().equals(change.target())) {
                    return remoteJoins.join(change.sender(), change.roomId(), change.via());
                }
                if (membership == Membership.KNOCK && change.sender().equals(change.target())) {
                    return remoteJoins.knock(change.sender(), change.roomId(), change.via(), change.reason());
                }
                return Mono.error(MatrixException.notFound("Unknown room " + change.roomId()));
            });
        }
        if (membership == Membership.LEAVE && change.sender().equals(change.target())) {
            return store.rooms().find(change.roomId().value()).hasElement().flatMap(known -> known ? append(change)
                    : remoteLeaves.leave(change.sender(), change.roomId()));
        }
        return expectation(change).then(Mono.defer(() -> append(change)));
    }

    /** A restricted join this server cannot authorise, which another server in the room may. */
    private static boolean unauthorisableHere(Throwable e) {
        return e instanceof MatrixException m && (m.errCode() == ErrCode.M_UNABLE_TO_GRANT_JOIN
                || m.errCode() == ErrCode.M_UNABLE_TO_AUTHORISE_JOIN);
    }

    /** Fails with the change's error when the target's current membership is not the one it needs. */
    private Mono<Void> expectation(MembershipChange change) {
        MembershipChange.Expected expected = change.expected();
        if (expected == null) {
            return Mono.empty();
        }
        return store.memberships().find(change.roomId().value(), change.target().toString())
                .map(row -> row.membership()).defaultIfEmpty(Membership.LEAVE.value())
                .flatMap(current -> expected.memberships().contains(current) ? Mono.<Void>empty()
                        : Mono.error(new MatrixException(expected.errCode(), expected.status(), expected.message())));
    }

    private Mono<EventId> append(MembershipChange change) {
        return memberContent(change).flatMap(content -> {
            if (change.isDirect()) {
                content.put("is_direct", true);
            }
            return change.membership() == Membership.JOIN && change.sender().equals(change.target())
                    ? events.joins().authorisedJoin(change.roomId(), change.sender(), content) : Mono.just(content);
        }).flatMap(content -> events.append(EventDraft.state(change.roomId(), change.sender(), Membership.TYPE,
                change.target().toString(), content))).map(RoomEvent::eventId)
                .onErrorResume(LocalClientRoomApi::unauthorisableHere, e -> remoteJoins.joinAuthorisedElsewhere(
                        change.sender(), change.roomId(), change.via()).switchIfEmpty(Mono.error(e)))
                .flatMap(eventId -> change.membership() == Membership.INVITE
                && !change.target().server().equals(serverName)
                ? remoteInvites.deliver(change.roomId(), eventId).thenReturn(eventId) : Mono.just(eventId));
    }

    @Override
    public Mono<Void> forget(UserId user, RoomId roomId) {
        return store.memberships().forget(roomId.value(), user.toString()).flatMap(forgotten -> forgotten
                ? Mono.<Void>empty()
                : store.memberships().find(roomId.value(), user.toString())
                        .switchIfEmpty(Mono.error(() -> MatrixException.notFound("You were never in this room")))
                        .flatMap(row -> Mono.error(new MatrixException(ErrCode.M_UNKNOWN,
                                "You must leave the room before forgetting it"))));
    }

    @Override
    public Mono<List<RoomEvent>> state(UserId requester, RoomId roomId) {
        return reader.state(requester, roomId);
    }

    @Override
    public Mono<RoomEvent> stateEvent(UserId requester, RoomId roomId, String type, String stateKey) {
        return reader.stateEvent(requester, roomId, type, stateKey);
    }

    @Override
    public Mono<RoomEvent> event(UserId requester, RoomId roomId, EventId eventId) {
        return reader.event(requester, roomId, eventId);
    }

    @Override
    public Mono<RoomEvent> event(UserId requester, EventId eventId) {
        return store.events().find(eventId.value())
                .switchIfEmpty(Mono.error(() -> MatrixException.notFound("Event not found")))
                .flatMap(row -> reader.event(requester, new RoomId(row.roomId()), eventId))
                .onErrorMap(e -> e instanceof MatrixException m && m.errCode() == ErrCode.M_FORBIDDEN,
                        e -> MatrixException.notFound("Event not found"));
    }

    @Override
    public Mono<List<RoomEvent>> members(UserId requester, RoomId roomId, MembersQuery query) {
        return reader.members(requester, roomId, query);
    }

    @Override
    public Mono<List<RoomId>> joinedRooms(UserId user) {
        return reader.joinedRooms(user);
    }

    @Override
    public Mono<MessagesPage> messages(UserId requester, RoomId roomId, MessagesQuery query) {
        return reader.messages(requester, roomId, query);
    }

    /** The member event content of a change: the client's extra keys, the membership, the reason, the profile. */
    private Mono<ObjectNode> memberContent(MembershipChange change) {
        ObjectNode content = JsonNodeFactory.instance.objectNode();
        if (change.extraContent() != null) {
            content.setAll(change.extraContent());
            content.remove(List.of(AUTHORISING_USER));
        }
        return memberContent(change.target(), change.membership(), change.reason(), content);
    }

    /** {@code {"membership": ...}} with the reason, and for joins and invites the target's display name and avatar. */
    private Mono<ObjectNode> memberContent(UserId target, Membership membership, String reason) {
        return memberContent(target, membership, reason, JsonNodeFactory.instance.objectNode());
    }

    /** Adds the membership, the reason and, unless {@code content} names them, the target's display name and avatar. */
    private Mono<ObjectNode> memberContent(UserId target, Membership membership, String reason, ObjectNode content) {
        content.put("membership", membership.value());
        if (reason != null) {
            content.put("reason", reason);
        }
        if (membership != Membership.JOIN && membership != Membership.INVITE) {
            return Mono.just(content);
        }
        return profiles.find(target.toString()).map(profile -> {
            if (profile.displayname() != null && !content.has("displayname")) {
                content.put("displayname", profile.displayname());
            }
            if (profile.avatarUrl() != null && !content.has("avatar_url")) {
                content.put("avatar_url", profile.avatarUrl());
            }
            return content;
        }).defaultIfEmpty(content);
    }
}
