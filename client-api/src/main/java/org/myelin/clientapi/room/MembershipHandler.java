package org.myelin.clientapi.room;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.myelin.clientapi.account.GuestRooms;
import org.myelin.clientapi.auth.Requester;
import org.myelin.federation.protocol.auth.Membership;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.EventId;
import org.myelin.federation.protocol.id.RoomAlias;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.http.JsonBodies;
import org.myelin.http.JsonFields;
import org.myelin.http.Responses;
import org.myelin.http.TextLimits;
import org.myelin.room.api.AliasTarget;
import org.myelin.room.api.ClientDirectoryApi;
import org.myelin.room.api.ClientRoomApi;
import org.myelin.room.api.MembershipChange;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;

/**
 * Room membership (https://spec.matrix.org/v1.19/client-server-api/#room-membership): join (by ID or alias),
 * invite, leave, forget, kick, ban, unban, knock, and GET /joined_rooms.
 */
@Component
public class MembershipHandler {

    private final JsonBodies bodies;
    private final ClientRoomApi rooms;
    private final ClientDirectoryApi directory;
    private final GuestRooms guestRooms;

    public MembershipHandler(JsonBodies bodies, ClientRoomApi rooms, ClientDirectoryApi directory,
            GuestRooms guestRooms) {
        this.bodies = bodies;
        this.rooms = rooms;
        this.directory = directory;
        this.guestRooms = guestRooms;
    }

    /** POST /_matrix/client/v3/join/{roomIdOrAlias} */
    public Mono<ServerResponse> joinByIdOrAlias(ServerRequest request, Requester requester) {
        return target(request.pathVariable("roomIdOrAlias")).flatMap(target -> {
            List<ServerName> via = new ArrayList<>(via(request));
            via.addAll(target.servers());
            return self(request, requester, target.roomId(), Membership.JOIN, via)
                    .then(roomIdResponse(target.roomId()));
        });
    }

    /** The {@code via} servers of a join (and the deprecated {@code server_name}), in the order given. */
    private static List<ServerName> via(ServerRequest request) {
        List<ServerName> via = new ArrayList<>();
        for (String name : request.queryParams().getOrDefault("via", List.of())) {
            via.add(ServerName.parse(name));
        }
        for (String name : request.queryParams().getOrDefault("server_name", List.of())) {
            via.add(ServerName.parse(name));
        }
        return via;
    }

    /** POST /_matrix/client/v3/rooms/{roomId}/join */
    public Mono<ServerResponse> join(ServerRequest request, Requester requester) {
        RoomId roomId = RoomIds.room(request);
        return self(request, requester, roomId, Membership.JOIN).then(roomIdResponse(roomId));
    }

    /** POST /_matrix/client/v3/knock/{roomIdOrAlias} */
    public Mono<ServerResponse> knock(ServerRequest request, Requester requester) {
        return resolve(request.pathVariable("roomIdOrAlias"))
                .flatMap(roomId -> self(request, requester, roomId, Membership.KNOCK).then(roomIdResponse(roomId)));
    }

    /** POST /_matrix/client/v3/rooms/{roomId}/leave */
    public Mono<ServerResponse> leave(ServerRequest request, Requester requester) {
        return self(request, requester, RoomIds.room(request), Membership.LEAVE).then(Responses.empty());
    }

    /** POST /_matrix/client/v3/rooms/{roomId}/invite */
    public Mono<ServerResponse> invite(ServerRequest request, Requester requester) {
        return other(request, requester, Membership.INVITE);
    }

    /** POST /_matrix/client/v3/rooms/{roomId}/kick */
    public Mono<ServerResponse> kick(ServerRequest request, Requester requester) {
        return other(request, requester, Membership.LEAVE);
    }

    /** POST /_matrix/client/v3/rooms/{roomId}/ban */
    public Mono<ServerResponse> ban(ServerRequest request, Requester requester) {
        return other(request, requester, Membership.BAN);
    }

    /** POST /_matrix/client/v3/rooms/{roomId}/unban: a leave sent for the banned user. */
    public Mono<ServerResponse> unban(ServerRequest request, Requester requester) {
        return other(request, requester, Membership.LEAVE);
    }

    /** POST /_matrix/client/v3/rooms/{roomId}/forget */
    public Mono<ServerResponse> forget(ServerRequest request, Requester requester) {
        return rooms.forget(RoomIds.user(requester), RoomIds.room(request)).then(Responses.empty());
    }

    /** GET /_matrix/client/v3/joined_rooms */
    public Mono<ServerResponse> joinedRooms(ServerRequest request, Requester requester) {
        return rooms.joinedRooms(RoomIds.user(requester)).flatMap(ids -> Responses.ok(
                Map.of("joined_rooms", ids.stream().map(RoomId::value).toList())));
    }

    /** The sender changes their own membership. */
    private Mono<EventId> self(ServerRequest request, Requester requester, RoomId roomId, Membership membership) {
        return self(request, requester, roomId, membership, List.of());
    }

    private Mono<EventId> self(ServerRequest request, Requester requester, RoomId roomId, Membership membership,
            List<ServerName> via) {
        UserId user = RoomIds.user(requester);
        Mono<Void> allowed = requester.guest() && membership == Membership.JOIN ? guestRooms.requireJoinable(roomId)
                : Mono.empty();
        return allowed.then(bodies.optionalObject(request))
                .flatMap(body -> rooms.changeMembership(new MembershipChange(roomId, user, user, membership,
                        JsonFields.optionalString(body, "reason", TextLimits.REASON), false, via)));
    }

    private static Mono<ServerResponse> roomIdResponse(RoomId roomId) {
        return Responses.ok(Map.of("room_id", roomId.value()));
    }

    /** The sender changes {@code user_id}'s membership; answers {@code {}}. */
    private Mono<ServerResponse> other(ServerRequest request, Requester requester, Membership membership) {
        RoomId roomId = RoomIds.room(request);
        return bodies.object(request).flatMap(body -> {
            UserId target = UserId.parse(JsonFields.requiredString(body, "user_id"));
            return rooms.changeMembership(new MembershipChange(roomId, RoomIds.user(requester), target, membership,
                    JsonFields.optionalString(body, "reason", TextLimits.REASON), false));
        }).then(Responses.empty());
    }

    private Mono<RoomId> resolve(String roomIdOrAlias) {
        return target(roomIdOrAlias).map(AliasTarget::roomId);
    }

    /** The room a path names, with the servers an alias's directory entry lists (none for a room ID). */
    private Mono<AliasTarget> target(String roomIdOrAlias) {
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
