package org.myelin.clientapi.sync;

import java.util.ArrayList;
import java.util.List;

import org.myelin.clientapi.auth.Requester;
import org.myelin.clientapi.room.ClientEvents;
import org.myelin.federation.protocol.filter.EventFields;
import org.myelin.federation.protocol.filter.RoomEventFilter;
import org.myelin.federation.protocol.id.EventId;
import org.myelin.room.api.EventFilter;
import org.myelin.room.api.RoomEvent;
import org.springframework.stereotype.Component;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * How /sync shows events: ClientEvents without room_id (the room is the key they sit under), kept only when
 * the section's filter matches them, projected by {@code event_fields}; stripped state for invites and knocks.
 */
@Component
public class SyncEvents {

    private static final String MEMBER = "m.room.member";

    private final ClientEvents clientEvents;
    private final ObjectMapper mapper;

    public SyncEvents(ClientEvents clientEvents, ObjectMapper mapper) {
        this.clientEvents = clientEvents;
        this.mapper = mapper;
    }

    /** The events the section filter lets through, in the spec's ClientEventWithoutRoomID shape. */
    public ArrayNode section(List<RoomEvent> events, RoomEventFilter filter, EventFields fields, Requester requester) {
        ArrayNode out = mapper.createArrayNode();
        for (RoomEvent event : events) {
            ObjectNode formatted = clientEvents.format(event, requester);
            String roomId = formatted.path("room_id").asString("");
            if (!filter.matches(formatted.path("type").asString(""), formatted.path("sender").asString(""), roomId,
                    formatted.path("content"))) {
                continue;
            }
            formatted.remove("room_id");
            out.add(fields.apply(formatted));
        }
        return out;
    }

    /** Non-room events a source contributed (ephemeral, account data), projected. */
    public ArrayNode plain(List<ObjectNode> events, EventFields fields) {
        ArrayNode out = mapper.createArrayNode();
        events.forEach(e -> out.add(fields.apply(e)));
        return out;
    }

    /**
     * invite_state or knock_state: StrippedStateEvents (type, state_key, content and sender only) of the room,
     * then the user's own member event (the invite or knock, {@code membership}) in full, as Synapse shows it: a
     * ClientEvent without room_id, whose event_id, sender, origin_server_ts and unsigned let clients attribute and
     * date the invitation (the stripped state copies some servers keep in its unsigned are left out).
     */
    public ArrayNode strippedState(List<RoomEvent> events, EventId membership, Requester requester) {
        ArrayNode out = mapper.createArrayNode();
        for (RoomEvent event : events) {
            JsonNode pdu = mapper.readTree(event.json());
            if (event.eventId().equals(membership) && MEMBER.equals(pdu.path("type").asString(""))) {
                ObjectNode full = clientEvents.format(event, requester);
                full.remove("room_id");
                if (full.get("unsigned") instanceof ObjectNode unsigned) {
                    unsigned.remove("invite_room_state");
                    unsigned.remove("knock_room_state");
                }
                out.add(full);
                continue;
            }
            ObjectNode s = out.addObject();
            s.set("type", pdu.path("type"));
            s.set("state_key", pdu.path("state_key"));
            s.set("content", pdu.path("content").isObject() ? pdu.get("content") : mapper.createObjectNode());
            s.set("sender", pdu.path("sender"));
        }
        return out;
    }

    /** The sender of the user's member event {@code membership} among {@code events}, or null. */
    public String membershipSender(List<RoomEvent> events, EventId membership) {
        for (RoomEvent event : events) {
            JsonNode pdu = mapper.readTree(event.json());
            if (event.eventId().equals(membership) && MEMBER.equals(pdu.path("type").asString(""))) {
                return pdu.path("sender").asString(null);
            }
        }
        return null;
    }

    /** The m.room.member events of a formatted section that still have their state_key and event_id. */
    public static List<Member> members(ArrayNode section) {
        List<Member> members = new ArrayList<>();
        for (JsonNode event : section) {
            if (MEMBER.equals(event.path("type").asString("")) && event.path("state_key").isString()
                    && event.path("event_id").isString()) {
                members.add(new Member(event.get("state_key").asString(), event.get("event_id").asString()));
            }
        }
        return members;
    }

    /** One member event: whose, and its ID. */
    public record Member(String userId, String eventId) {
    }

    /** The types and senders part of a section filter, for the database query. */
    public static EventFilter forQuery(RoomEventFilter filter, boolean lazyLoadMembers) {
        var f = filter.events();
        return new EventFilter(orEmpty(f.types()), orEmpty(f.notTypes()), orEmpty(f.senders()),
                orEmpty(f.notSenders()), lazyLoadMembers);
    }

    private static List<String> orEmpty(List<String> list) {
        return list == null ? List.of() : new ArrayList<>(list);
    }
}
