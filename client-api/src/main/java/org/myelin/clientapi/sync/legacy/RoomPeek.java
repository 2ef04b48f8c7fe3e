package org.myelin.clientapi.sync.legacy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.myelin.clientapi.auth.Requester;
import org.myelin.clientapi.room.ClientEvents;
import org.myelin.clientapi.sync.LongPoll;
import org.myelin.clientapi.sync.SyncRequest;
import org.myelin.clientapi.sync.SyncResult;
import org.myelin.clientapi.sync.SyncToken;
import org.myelin.db.notify.StreamPosition;
import org.myelin.federation.protocol.filter.Filter;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.room.api.ClientRoomApi;
import org.myelin.room.api.ClientSyncApi;
import org.myelin.room.api.EventFilter;
import org.myelin.room.api.RoomSliceQuery;
import org.myelin.room.api.SyncMembership;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * /events with {@code room_id}: the events of one room after a /sync token, for a user who may read the room without
 * being in it (world-readable history) or who is in it, long-polled on that room's wake-ups ({@link LongPoll}). The
 * room's timeline is read as /sync reads a room ({@link ClientSyncApi#roomSlice}), as the user may see it; a room the
 * user may not read is 403 M_FORBIDDEN.
 */
@Component
public class RoomPeek {

    private final ClientRoomApi rooms;
    private final ClientSyncApi syncApi;
    private final StreamPositions positions;
    private final LongPoll longPoll;
    private final ClientEvents clientEvents;
    private final ObjectMapper mapper;

    public RoomPeek(ClientRoomApi rooms, ClientSyncApi syncApi, StreamPositions positions, LongPoll longPoll,
            ClientEvents clientEvents, ObjectMapper mapper) {
        this.rooms = rooms;
        this.syncApi = syncApi;
        this.positions = positions;
        this.longPoll = longPoll;
        this.clientEvents = clientEvents;
        this.mapper = mapper;
    }

    /** The room's events after {@code since}, waiting up to {@code timeout} for some. */
    Mono<EventChunk> after(Requester requester, RoomId roomId, SyncToken since, Duration timeout) {
        UserId user = UserId.parse(requester.userId());
        return rooms.stateEvent(user, roomId, "m.room.create", "")
                .then(longPoll.await(() -> compute(requester, roomId, since), timeout,
                        (position, result) -> concerns(position, result, roomId), Mono.never()))
                .map(result -> {
                    List<ObjectNode> events = new ArrayList<>();
                    result.body().path("chunk").forEach(e -> events.add((ObjectNode) e));
                    return new EventChunk(events, result.next());
                });
    }

    private Mono<SyncResult> compute(Requester requester, RoomId roomId, SyncToken since) {
        UserId user = UserId.parse(requester.userId());
        long from = since.position(SyncToken.EVENTS);
        return positions.now().flatMap(now -> {
            long upTo = Math.max(from, now.position(SyncToken.EVENTS));
            // The window of a room the user reads, not cut at a leave: what a joined member's slice covers.
            SyncMembership window = new SyncMembership(roomId, "join", null, 0);
            return syncApi.roomSlice(user, window, new RoomSliceQuery(from, upTo, EventStream.ROOM_LIMIT,
                    EventFilter.NONE, false, false, Set.of())).map(slice -> {
                        ObjectNode body = mapper.createObjectNode();
                        var chunk = body.putArray("chunk");
                        slice.timeline().forEach(e -> chunk.add(clientEvents.format(e, requester)));
                        SyncRequest request = new SyncRequest(requester, Filter.DEFAULT, Set.of(roomId.value()),
                                false, from, upTo);
                        return new SyncResult(body, now, request, slice.timeline().isEmpty());
                    });
        });
    }

    private static boolean concerns(StreamPosition position, SyncResult result, RoomId roomId) {
        return SyncToken.EVENTS.equals(position.stream()) && position.position() > result.next().position(
                SyncToken.EVENTS) && (position.scope() == null || position.scope().equals(roomId.value()));
    }
}
