package org.myelin.clientapi.room;

import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.http.HttpMethod.PUT;

import org.myelin.clientapi.http.ClientRouteTable;
import org.myelin.clientapi.http.RouteContributor;
import org.springframework.stereotype.Component;

/** Routes of room creation, membership, sending and reading rooms. */
@Component
public class RoomRoutes implements RouteContributor {

    private static final String V3 = "/_matrix/client/v3";
    private static final String ROOM = V3 + "/rooms/{roomId}";

    private final CreateRoomHandler create;
    private final MembershipHandler membership;
    private final RoomSendHandler send;
    private final RoomReadHandler read;

    public RoomRoutes(CreateRoomHandler create, MembershipHandler membership, RoomSendHandler send,
            RoomReadHandler read) {
        this.create = create;
        this.membership = membership;
        this.send = send;
        this.read = read;
    }

    @Override
    public void register(ClientRouteTable routes) {
        routes.authed(POST, V3 + "/createRoom", create::createRoom)
                .authed(POST, V3 + "/join/{roomIdOrAlias}", membership::joinByIdOrAlias)
                .authed(POST, V3 + "/knock/{roomIdOrAlias}", membership::knock)
                .authed(GET, V3 + "/joined_rooms", membership::joinedRooms)
                .authed(POST, ROOM + "/join", membership::join)
                .authed(POST, ROOM + "/invite", membership::invite)
                .authed(POST, ROOM + "/leave", membership::leave)
                .authed(POST, ROOM + "/forget", membership::forget)
                .authed(POST, ROOM + "/kick", membership::kick)
                .authed(POST, ROOM + "/ban", membership::ban)
                .authed(POST, ROOM + "/unban", membership::unban)
                .authed(PUT, ROOM + "/send/{eventType}/{txnId}", send::send)
                .authed(POST, ROOM + "/send/{eventType}", send::sendWithoutTxn)
                .authed(PUT, ROOM + "/state/{eventType}", send::putState)
                .authed(PUT, ROOM + "/state/{eventType}/", send::putState)
                .authed(PUT, ROOM + "/state/{eventType}/{stateKey}", send::putState)
                .authed(GET, ROOM + "/state", send::getState)
                .authed(GET, ROOM + "/state/{eventType}", send::getStateEvent)
                .authed(GET, ROOM + "/state/{eventType}/", send::getStateEvent)
                .authed(GET, ROOM + "/state/{eventType}/{stateKey}", send::getStateEvent)
                .authed(GET, ROOM + "/members", read::members)
                .authed(GET, ROOM + "/joined_members", read::joinedMembers)
                .authed(GET, ROOM + "/event/{eventId}", read::event)
                .authed(GET, ROOM + "/messages", read::messages);
    }
}
