package org.myelin.clientapi.room;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.myelin.room.graph.GuestRooms;
import org.myelin.clientapi.auth.Requester;
import org.myelin.federation.protocol.auth.Membership;
import org.myelin.federation.protocol.id.EventId;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.http.JsonBodies;
import org.myelin.http.JsonFields;
import org.myelin.http.Responses;
import org.myelin.http.TextLimits;
import org.myelin.room.api.ClientRoomApi;
import org.myelin.room.api.MembershipChange;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Room membership (https://spec.matrix.org/v1.19/client-server-api/#room-membership): join (by ID or alias),
 * invite, leave, forget, kick, ban, unban, knock, and GET /joined_rooms.
 */
@Component
public class MembershipHandler {

    private final JsonBodies bodies;
    private final ClientRoomApi rooms;
    private final RoomTargets targets;
    private final GuestRooms guestRooms;

    public MembershipHandler(JsonBodies bodies, ClientRoomApi rooms, RoomTargets targets, GuestRooms guestRooms) {
        this.bodies = bodies;
        this.rooms = rooms;
        this.targets = targets;
        this.guestRooms = guestRooms;
    }

    /**
     * POST /_matrix/client/v3/join/{roomIdOrAlias}. NOTSPEC: the body's other keys (custom content, a per-room
     * display name or avatar) are kept in the member event, as Synapse keeps them for this endpoint (and only the
     * reason for /rooms/{roomId}/join).
     */
    public Mono<ServerResponse> joinByIdOrAlias(ServerRequest request, Requester requester) {
        return targets.resolve(request.pathVariable("roomIdOrAlias")).flatMap(target -> {
            List<ServerName> via = new ArrayList<>(via(request));
            via.addAll(target.servers());
            UserId user = RoomIds.user(requester);
            return guestCheck(requester, target.roomId(), Membership.JOIN).then(bodies.optionalObject(request))
                    .flatMap(body -> rooms.changeMembership(new MembershipChange(target.roomId(), user, user,
                            Membership.JOIN, reason(body), false, via, joinContent(body), null)))
                    .then(roomIdResponse(target.roomId()));
        });
    }

    /** A join body as member event content: its profile keys must be strings of a profile's lengths. */
    private static ObjectNode joinContent(JsonNode body) {
        JsonFields.optionalString(body, "displayname", TextLimits.DISPLAY_NAME);
        JsonFields.optionalString(body, "avatar_url", TextLimits.AVATAR_URL);
        return (ObjectNode) body;
    }

    /** The {@code via} servers of a join or knock (and the deprecated {@code server_name}), in the order given. */
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

    /** POST /_matrix/client/v3/knock/{roomIdOrAlias}: through the {@code via} servers when this one is not in it. */
    public Mono<ServerResponse> knock(ServerRequest request, Requester requester) {
        return targets.resolve(request.pathVariable("roomIdOrAlias")).flatMap(target -> {
            List<ServerName> via = new ArrayList<>(via(request));
            via.addAll(target.servers());
            UserId user = RoomIds.user(requester);
            return bodies.optionalObject(request).flatMap(body -> rooms.changeMembership(new MembershipChange(
                    target.roomId(), user, user, Membership.KNOCK, reason(body), false, via, null, null)))
                    .then(roomIdResponse(target.roomId()));
        });
    }

    /** POST /_matrix/client/v3/rooms/{roomId}/leave */
    public Mono<ServerResponse> leave(ServerRequest request, Requester requester) {
        return self(request, requester, RoomIds.room(request), Membership.LEAVE).then(Responses.empty());
    }

    /** POST /_matrix/client/v3/rooms/{roomId}/invite */
    public Mono<ServerResponse> invite(ServerRequest request, Requester requester) {
        return other(request, requester, Membership.INVITE, null);
    }

    /** POST /_matrix/client/v3/rooms/{roomId}/kick; only a user who is in the room (or invited, knocking). */
    public Mono<ServerResponse> kick(ServerRequest request, Requester requester) {
        return other(request, requester, Membership.LEAVE, MembershipChange.IN_ROOM);
    }

    /** POST /_matrix/client/v3/rooms/{roomId}/ban */
    public Mono<ServerResponse> ban(ServerRequest request, Requester requester) {
        return other(request, requester, Membership.BAN, null);
    }

    /** POST /_matrix/client/v3/rooms/{roomId}/unban: a leave sent for the banned user (only a banned one). */
    public Mono<ServerResponse> unban(ServerRequest request, Requester requester) {
        return other(request, requester, Membership.LEAVE, MembershipChange.BANNED);
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
        UserId user = RoomIds.user(requester);
        return guestCheck(requester, roomId, membership).then(bodies.optionalObject(request))
                .flatMap(body -> rooms.changeMembership(new MembershipChange(roomId, user, user, membership,
                        reason(body), false)));
    }

    /** A guest joins only rooms whose guest access is can_join. */
    private Mono<Void> guestCheck(Requester requester, RoomId roomId, Membership membership) {
        return requester.guest() && membership == Membership.JOIN ? guestRooms.requireJoinable(roomId) : Mono.empty();
    }

    private static String reason(JsonNode body) {
        return JsonFields.optionalString(body, "reason", TextLimits.REASON);
    }

    private static Mono<ServerResponse> roomIdResponse(RoomId roomId) {
        return Responses.ok(Map.of("room_id", roomId.value()));
    }

    /** The sender changes {@code user_id}'s membership, which must be as {@code expected} (null: any); answers {}. */
    private Mono<ServerResponse> other(ServerRequest request, Requester requester, Membership membership,
            MembershipChange.Expected expected) {
        RoomId roomId = RoomIds.room(request);
        return bodies.object(request).flatMap(body -> {
            UserId target = UserId.parse(JsonFields.requiredString(body, "user_id"));
            return rooms.changeMembership(new MembershipChange(roomId, RoomIds.user(requester), target, membership,
                    reason(body), false, List.of(), null, expected));
        }).then(Responses.empty());
    }
}
