package org.myelin.homeserver.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;
import org.springframework.http.HttpMethod;

/**
 * History visibility on every read, through the real server: each m.room.history_visibility value for members,
 * non-members, invitees and former members, on /messages, /event, /context, /state, /members, /relations,
 * /threads and /timestamp_to_event.
 */
class RoomVisibilityIT extends HomeserverIT {

    private RoomClient rooms;
    private RoomReads reads;
    private Session alice;
    private Session bob;

    @BeforeEach
    void users() {
        rooms = new RoomClient(http);
        reads = new RoomReads(rooms);
        alice = accounts.register(unique("alice"), "pw-alice-1");
        bob = accounts.register(unique("bob"), "pw-bob-1");
    }

    @Test
    void worldReadableRoomsShouldBeReadableWithoutMembership() {
        String roomId = reads.roomWithVisibility(alice, "world_readable", null);
        String eventId = rooms.send(alice, roomId, "w1", Map.of("body", "public"));
        String room = RoomClient.room(roomId);
        assertThat(reads.messageBodies(bob, roomId)).containsExactly("public");
        assertThat(reads.ok(bob, room + "/event/" + eventId)).containsEntry("event_id", eventId);
        assertThat(reads.ok(bob, room + "/context/" + eventId)).containsKey("event");
        assertThat(rooms.getArray(room + "/state", bob)).isNotEmpty();
        assertThat(reads.ok(bob, room + "/members")).containsKey("chunk");
        assertThat(reads.ok(bob, RoomReads.V1 + "/rooms/" + roomId + "/relations/" + eventId)).containsKey("chunk");
        assertThat(reads.ok(bob, RoomReads.V1 + "/rooms/" + roomId + "/threads")).containsKey("chunk");
    }

    @Test
    void aUserWhoNeverHadAccessShouldGetForbiddenEverywhere() {
        for (String visibility : new String[] {"shared", "invited", "joined"}) {
            String roomId = reads.roomWithVisibility(alice, visibility, null);
            String eventId = rooms.send(alice, roomId, "n-" + visibility, Map.of("body", "hidden"));
            String room = RoomClient.room(roomId);
            String v1 = RoomReads.V1 + "/rooms/" + roomId;
            expectError(reads.get(bob, room + "/event/" + eventId), 404, "M_NOT_FOUND");
            for (String uri : new String[] {room + "/messages?dir=b", room + "/context/" + eventId, room + "/state", room + "/state/m.room.create", room + "/members",
                    room + "/joined_members", v1 + "/relations/" + eventId, v1 + "/threads",
                    v1 + "/timestamp_to_event?ts=0&dir=f"}) {
                expectError(reads.get(bob, uri), 403, "M_FORBIDDEN");
            }
        }
    }

    @Test
    void underJoinedAMemberShouldSeeOnlyEventsFromTheirJoin() {
        String roomId = reads.roomWithVisibility(alice, "joined", null);
        String before = rooms.send(alice, roomId, "j1", Map.of("body", "before"));
        rooms.join(bob, roomId);
        rooms.send(alice, roomId, "j2", Map.of("body", "after"));
        assertThat(reads.messageBodies(bob, roomId)).containsExactly("after");
        assertThat(reads.messageBodies(alice, roomId)).containsExactly("after", "before");
        expectError(reads.get(bob, RoomClient.room(roomId) + "/event/" + before), 404, "M_NOT_FOUND");
        expectError(reads.get(bob, RoomClient.room(roomId) + "/context/" + before), 404, "M_NOT_FOUND");
        expectError(reads.get(bob, RoomReads.V1 + "/rooms/" + roomId + "/relations/" + before), 404,
                "M_NOT_FOUND");
    }

    @Test
    void underSharedAMemberShouldSeeHistoryFromBeforeTheirJoinUntilTheyLeave() {
        String roomId = reads.roomWithVisibility(alice, "shared", null);
        rooms.send(alice, roomId, "s1", Map.of("body", "before"));
        rooms.join(bob, roomId);
        rooms.send(alice, roomId, "s2", Map.of("body", "during"));
        assertThat(reads.messageBodies(bob, roomId)).containsExactly("during", "before");
        ok(rooms.request(HttpMethod.POST, RoomClient.room(roomId) + "/leave", bob, Map.of()));
        String after = rooms.send(alice, roomId, "s3", Map.of("body", "after"));
        assertThat(reads.messageBodies(bob, roomId)).containsExactly("during", "before");
        expectError(reads.get(bob, RoomClient.room(roomId) + "/event/" + after), 404, "M_NOT_FOUND");
    }

    @Test
    void underJoinedAFormerMemberShouldSeeOnlyTheirMembershipWindow() {
        String roomId = reads.roomWithVisibility(alice, "joined", null);
        rooms.send(alice, roomId, "f1", Map.of("body", "before"));
        rooms.join(bob, roomId);
        rooms.send(alice, roomId, "f2", Map.of("body", "during"));
        ok(rooms.request(HttpMethod.POST, RoomClient.room(roomId) + "/leave", bob, Map.of()));
        rooms.send(alice, roomId, "f3", Map.of("body", "after"));
        assertThat(reads.messageBodies(bob, roomId)).containsExactly("during");
    }

    @Test
    void underInvitedAnInviteeShouldSeeEventsFromTheInviteButNoState() {
        String roomId = reads.roomWithVisibility(alice, "invited", null);
        rooms.send(alice, roomId, "i1", Map.of("body", "before"));
        rooms.invite(alice, roomId, bob.userId());
        rooms.send(alice, roomId, "i2", Map.of("body", "invited"));
        assertThat(reads.messageBodies(bob, roomId)).containsExactly("invited");
        expectError(reads.get(bob, RoomClient.room(roomId) + "/state"), 403, "M_FORBIDDEN");
        expectError(reads.get(bob, RoomClient.room(roomId) + "/members"), 403, "M_FORBIDDEN");
        rooms.join(bob, roomId);
        assertThat(reads.messageBodies(bob, roomId)).containsExactly("invited");
    }

    @Test
    void underSharedAnInviteeShouldSeeNothingUntilTheyJoin() {
        String roomId = reads.roomWithVisibility(alice, "shared", null);
        rooms.send(alice, roomId, "v1", Map.of("body", "before"));
        rooms.invite(alice, roomId, bob.userId());
        assertThat(reads.messageBodies(bob, roomId)).isEmpty();
        rooms.join(bob, roomId);
        assertThat(reads.messageBodies(bob, roomId)).containsExactly("before");
    }

    @Test
    void eventsSentWhileWorldReadableShouldStayVisibleAfterTheSettingChanges() {
        String roomId = reads.roomWithVisibility(alice, "world_readable", null);
        rooms.send(alice, roomId, "c1", Map.of("body", "open"));
        ok(rooms.request(HttpMethod.PUT, RoomClient.room(roomId) + "/state/m.room.history_visibility", alice,
                Map.of("history_visibility", "joined")));
        rooms.send(alice, roomId, "c2", Map.of("body", "closed"));
        expectError(reads.get(bob, RoomClient.room(roomId) + "/messages?dir=b"), 403, "M_FORBIDDEN");
        rooms.join(bob, roomId);
        assertThat(reads.messageBodies(bob, roomId)).containsExactly("open");
    }
}
