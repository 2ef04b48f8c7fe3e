package org.myelin.clientapi.sync.legacy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.myelin.clientapi.auth.Requester;
import org.myelin.clientapi.room.ClientEvents;
import org.myelin.room.api.RoomEvent;
import org.myelin.room.api.TimelinePosition;
import org.springframework.stereotype.Component;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One room of an initialSync (the r0.6.1 RoomInfo): {@code room_id}, {@code membership}, {@code messages} (the
 * latest events, oldest first, between a {@code start} token for /messages backwards, left out when nothing came
 * before, and an {@code end} token for /messages forwards), {@code state} (the state after those events),
 * {@code visibility} and the room's {@code account_data}.
 */
@Component
public class RoomSnapshot {

    private final ClientEvents clientEvents;
    private final ObjectMapper mapper;

    public RoomSnapshot(ClientEvents clientEvents, ObjectMapper mapper) {
        this.clientEvents = clientEvents;
        this.mapper = mapper;
    }

    /**
     * The room's entry.
     *
     * @param membership the requester's membership, or null when they have none (a peek)
     * @param timeline   the latest events, oldest first
     * @param start      the token before the first event, or null when there is nothing earlier
     * @param state      the state after the timeline
     */
    ObjectNode render(String roomId, String membership, List<RoomEvent> timeline, String start,
            List<RoomEvent> state, boolean published, List<ObjectNode> accountData, Requester requester) {
        ObjectNode room = mapper.createObjectNode();
        room.put("room_id", roomId);
        if (membership != null) {
            room.put("membership", membership);
        }
        ObjectNode messages = room.putObject("messages");
        var chunk = messages.putArray("chunk");
        timeline.forEach(e -> chunk.add(clientEvents.format(e, requester)));
        if (start != null) {
            messages.put("start", start);
        }
        messages.put("end", timeline.isEmpty() ? TimelinePosition.END.token()
                : timeline.get(timeline.size() - 1).position().token());
        var stateArray = room.putArray("state");
        state.forEach(e -> stateArray.add(clientEvents.format(e, requester)));
        room.put("visibility", published ? "public" : "private");
        var data = room.putArray("account_data");
        accountData.forEach(data::add);
        return room;
    }

    /** The user's membership according to {@code state}, or null when it holds no member event of theirs. */
    String membershipIn(List<RoomEvent> state, String userId) {
        for (RoomEvent event : state) {
            JsonNode json = mapper.readTree(event.json());
            if ("m.room.member".equals(json.path("type").stringValue("")) && userId.equals(
                    json.path("state_key").stringValue(""))) {
                return json.path("content").path("membership").stringValue(null);
            }
        }
        return null;
    }

    /** The state after {@code timeline}: {@code stateBefore} with the timeline's state events applied in order. */
    List<RoomEvent> stateAfter(List<RoomEvent> stateBefore, List<RoomEvent> timeline) {
        Map<String, RoomEvent> state = new LinkedHashMap<>();
        stateBefore.forEach(e -> putState(state, e));
        timeline.forEach(e -> putState(state, e));
        return List.copyOf(state.values());
    }

    private void putState(Map<String, RoomEvent> state, RoomEvent event) {
        JsonNode json = mapper.readTree(event.json());
        if (json.path("state_key").isString()) {
            state.put(json.path("type").stringValue("") + "\u0000" + json.path("state_key").stringValue(), event);
        }
    }
}
