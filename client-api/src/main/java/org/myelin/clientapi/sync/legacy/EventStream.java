package org.myelin.clientapi.sync.legacy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.myelin.clientapi.auth.Requester;
import org.myelin.clientapi.room.ClientEvents;
import org.myelin.clientapi.sync.StateSection;
import org.myelin.clientapi.sync.SyncResult;
import org.myelin.clientapi.sync.SyncService;
import org.myelin.clientapi.sync.SyncToken;
import org.myelin.federation.protocol.filter.Filter;
import org.myelin.federation.protocol.filter.FilterParser;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.room.api.ClientSyncApi;
import org.myelin.room.api.RoomEvent;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The user's event stream after a /sync token: an incremental /sync ({@link SyncService}, long-polled the same way)
 * flattened into one list, as the deprecated /events returns it: per room the timeline events (joined rooms and
 * rooms left since the token) and the ephemeral events, each with its {@code room_id}, then the invites since the
 * token (the invite event itself), then presence. Each room's timeline holds at most {@link #ROOM_LIMIT} events.
 */
@Component
public class EventStream {

    /** The most timeline events of one room in one answer. */
    static final int ROOM_LIMIT = 100;

    private static final Filter FILTER = FilterParser.parse(JsonMapper.builder().build()
            .readTree("{\"room\":{\"timeline\":{\"limit\":" + ROOM_LIMIT + "}}}"));

    private final SyncService sync;
    private final ClientSyncApi syncApi;
    private final ClientEvents clientEvents;

    public EventStream(SyncService sync, ClientSyncApi syncApi, ClientEvents clientEvents) {
        this.sync = sync;
        this.syncApi = syncApi;
        this.clientEvents = clientEvents;
    }

    /** The events after {@code since}, waiting up to {@code timeout} for some. */
    Mono<EventChunk> after(Requester requester, SyncToken since, Duration timeout) {
        return sync.sync(requester, FILTER, since, false, StateSection.STATE, timeout)
                .flatMap(result -> invites(requester, since, result).map(invites -> {
                    List<ObjectNode> events = new ArrayList<>(roomEvents(result.body()));
                    events.addAll(invites);
                    result.body().path("presence").path("events").forEach(e -> events.add((ObjectNode) e));
                    return new EventChunk(events, result.next());
                }));
    }

    private static List<ObjectNode> roomEvents(JsonNode body) {
        List<ObjectNode> events = new ArrayList<>();
        JsonNode rooms = body.path("rooms");
        for (String section : List.of("join", "leave")) {
            for (Map.Entry<String, JsonNode> room : rooms.path(section).properties()) {
                withRoomId(room.getValue().path("timeline").path("events"), room.getKey(), events);
                withRoomId(room.getValue().path("ephemeral").path("events"), room.getKey(), events);
            }
        }
        return events;
    }

    private static void withRoomId(JsonNode events, String roomId, List<ObjectNode> out) {
        for (JsonNode event : events) {
            ObjectNode copy = ((ObjectNode) event).deepCopy();
            copy.put("room_id", roomId);
            out.add(copy);
        }
    }

    /** The invite events of the rooms the sync lists under {@code invite}. */
    private Mono<List<ObjectNode>> invites(Requester requester, SyncToken since, SyncResult result) {
        JsonNode invited = result.body().path("rooms").path("invite");
        if (invited.isEmpty()) {
            return Mono.just(List.of());
        }
        return syncApi.memberships(UserId.parse(requester.userId()), since.position(SyncToken.EVENTS),
                        result.next().position(SyncToken.EVENTS))
                .flatMapMany(Flux::fromIterable)
                .filter(m -> "invite".equals(m.membership()) && invited.has(m.roomId().value()))
                .concatMap(syncApi::strippedStateEvents)
                .filter(events -> !events.isEmpty())
                .map(events -> inviteEvent(events, requester))
                .collectList();
    }

    /** The last of an invite's stripped state events is the invite itself, whole. */
    private ObjectNode inviteEvent(List<RoomEvent> strippedState, Requester requester) {
        return clientEvents.format(strippedState.get(strippedState.size() - 1), requester);
    }
}
