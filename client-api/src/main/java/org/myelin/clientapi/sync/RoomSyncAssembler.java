package org.myelin.clientapi.sync;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.myelin.federation.protocol.filter.EventFields;
import org.myelin.federation.protocol.filter.RoomFilter;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.room.api.ClientSyncApi;
import org.myelin.room.api.RoomEvent;
import org.myelin.room.api.RoomSlice;
import org.myelin.room.api.RoomSliceQuery;
import org.myelin.room.api.SyncMembership;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code rooms} section of /sync: join (timeline, state, ephemeral, account data, summary, unread counts),
 * invite (invite_state), knock (knock_state) and leave (on an initial sync only with include_leave; on an
 * incremental one the rooms left since the token, with the timeline up to the leave). Only the rooms the room
 * graph reports as changed are read, plus joined rooms a source has ephemeral events or account data for. A room
 * the user newly joined comes as on an initial sync (its history, its full state). Invites from users the user
 * ignores are left out; with lazy-loaded members, the member events the device already has are
 * ({@link LazyMembers}). A joined or left room's state goes in the field the request's {@link StateSection} names:
 * {@code state} up to the start of the timeline, or {@code state_after} up to its end.
 */
@Component
public class RoomSyncAssembler {

    /** The timeline limit when the filter names none, and the most a filter may ask for. */
    static final int DEFAULT_LIMIT = 10;
    static final int MAX_LIMIT = 100;
    /** Rooms read at once; bounds one sync's share of the connection pool. */
    private static final int CONCURRENCY = 4;

    private static final String MEMBER = "m.room.member";

    private final ClientSyncApi syncApi;
    private final SyncEvents events;
    private final LazyMembers lazyMembers;
    private final ObjectMapper mapper;

    public RoomSyncAssembler(ClientSyncApi syncApi, SyncEvents events, LazyMembers lazyMembers,
            ObjectMapper mapper) {
        this.syncApi = syncApi;
        this.events = events;
        this.lazyMembers = lazyMembers;
        this.mapper = mapper;
    }

    /** Whether a rooms section reports nothing. */
    static boolean isEmpty(ObjectNode rooms) {
        return rooms.path("join").isEmpty() && rooms.path("invite").isEmpty() && rooms.path("leave").isEmpty()
                && rooms.path("knock").isEmpty();
    }

    /** The rooms section for the memberships the room graph reported in {@code (since, upTo]}. */
    Mono<ObjectNode> rooms(SyncRequest request, List<SyncMembership> memberships, long since, long upTo,
            SyncResponseBuilder out) {
        RoomFilter filter = request.filter().room();
        ObjectNode rooms = mapper.createObjectNode();
        ObjectNode join = rooms.putObject("join");
        ObjectNode invite = rooms.putObject("invite");
        ObjectNode leave = rooms.putObject("leave");
        ObjectNode knock = rooms.putObject("knock");
        List<SyncMembership> wanted = memberships.stream()
                .filter(m -> filter.allowsRoom(m.roomId().value()))
                .filter(m -> !m.isLeave() || since > 0 || filter.includeLeave())
                .toList();
        if (since == 0 && tracksMembers(request)) {
            lazyMembers.reset(request.userId(), request.deviceId());
        }
        return Flux.fromIterable(wanted).flatMapSequential(m -> switch (m.membership()) {
            case "join", "leave", "ban" -> syncApi.roomSlice(UserId.parse(request.userId()), m,
                    query(request, since, upTo)).map(slice -> Map.entry(m, roomNode(request, m, slice, out)));
            default -> syncApi.strippedStateEvents(m)
                    .filter(stripped -> !invitedByIgnored(request, events.membershipSender(stripped, m.eventId())))
                    .map(stripped -> Map.entry(m, strippedNode(request, m, stripped)));
        }, CONCURRENCY).collectList().map(nodes -> {
            for (var entry : nodes) {
                SyncMembership m = entry.getKey();
                ObjectNode node = entry.getValue();
                String roomId = m.roomId().value();
                switch (m.membership()) {
                    case "join" -> {
                        if (since == 0 || hasNews(node, request.stateSection())) {
                            join.set(roomId, node);
                        }
                    }
                    case "invite" -> invite.set(roomId, node);
                    case "knock" -> knock.set(roomId, node);
                    case "leave", "ban" -> leave.set(roomId, node);
                    default -> {
                    }
                }
            }
            addEphemeralOnly(request, out, join);
            return rooms;
        });
    }

    private RoomSliceQuery query(SyncRequest request, long since, long upTo) {
        RoomFilter filter = request.filter().room();
        boolean lazy = filter.state().lazyLoadMembers();
        return new RoomSliceQuery(since, upTo, filter.timeline().limitOr(DEFAULT_LIMIT, MAX_LIMIT),
                SyncEvents.forQuery(filter.timeline(), lazy), lazy, request.fullState(), request.ignored(),
                request.stateSection().atTimelineEnd());
    }

    /** Whether an invite (or knock) was sent by a user the requester ignores: it is left out, as the spec says. */
    private static boolean invitedByIgnored(SyncRequest request, String sender) {
        return sender != null && request.ignored().contains(sender);
    }

    /** Whether redundant lazy-loaded members are left out for this request (and so what it sends recorded). */
    private static boolean tracksMembers(SyncRequest request) {
        RoomFilter filter = request.filter().room();
        return filter.state().lazyLoadMembers() && !filter.state().includeRedundantMembers()
                && request.deviceId() != null;
    }

    /**
     * The slice's state without the member events the device already has (redundant ones), when it lazy-loads
     * members: ones it was sent by a response up to its {@code since}. The user's own member event stays in a
     * full state, as the spec requires.
     */
    private List<RoomEvent> unsentState(SyncRequest request, String roomId, RoomSlice slice) {
        if (!tracksMembers(request) || request.eventsSince() == 0) {
            return slice.state();
        }
        return slice.state().stream().filter(event -> {
            JsonNode pdu = mapper.readTree(event.json());
            String member = pdu.path("state_key").asString("");
            return !MEMBER.equals(pdu.path("type").asString(""))
                    || slice.fullState() && member.equals(request.userId())
                    || !lazyMembers.seen(request.userId(), request.deviceId(), roomId, member,
                            event.eventId().value(), request.eventsSince());
        }).toList();
    }

    /**
     * Records the member events of the sections this response sends, when the request tracks them. With the state
     * after the timeline only that state counts: the client takes none from the timeline.
     */
    private void recordSent(SyncRequest request, String roomId, ArrayNode state, ArrayNode timeline) {
        if (!tracksMembers(request)) {
            return;
        }
        List<ArrayNode> sections = request.stateSection().atTimelineEnd() ? List.of(state) : List.of(state, timeline);
        for (ArrayNode section : sections) {
            SyncEvents.members(section).forEach(member -> lazyMembers.sent(request.userId(), request.deviceId(),
                    roomId, member.userId(), member.eventId(), request.eventsUpTo()));
        }
    }

    private ObjectNode roomNode(SyncRequest request, SyncMembership m, RoomSlice slice, SyncResponseBuilder out) {
        RoomFilter filter = request.filter().room();
        EventFields fields = request.filter().projection();
        String roomId = m.roomId().value();
        ObjectNode node = mapper.createObjectNode();
        ObjectNode timeline = node.putObject("timeline");
        ArrayNode timelineEvents = filter.timeline().allowsRoom(roomId)
                ? events.section(slice.timeline(), filter.timeline(), fields, request.requester())
                : mapper.createArrayNode();
        timeline.set("events", timelineEvents);
        timeline.put("limited", slice.limited());
        if (slice.prevBatch() != null) {
            timeline.put("prev_batch", PaginationToken.eventsBefore(slice.prevBatch()));
        }
        ArrayNode stateEvents = filter.state().allowsRoom(roomId)
                ? events.section(unsentState(request, roomId, slice), filter.state(), fields, request.requester())
                : mapper.createArrayNode();
        node.putObject(request.stateSection().field()).set("events", stateEvents);
        recordSent(request, roomId, stateEvents, timelineEvents);
        if (slice.newlyJoined()) {
            out.newlyJoined(roomId);
        }
        node.putObject("account_data").set("events",
                events.plain(out.roomAccountData().getOrDefault(roomId, List.of()), fields));
        if (slice.summary() == null) {
            return node;
        }
        node.putObject("ephemeral").set("events",
                events.plain(out.roomEphemeral().getOrDefault(roomId, List.of()), fields));
        ObjectNode summary = node.putObject("summary");
        if (slice.summary().heroes() != null) {
            summary.set("m.heroes", mapper.valueToTree(slice.summary().heroes()));
        }
        summary.put("m.joined_member_count", slice.summary().joined());
        summary.put("m.invited_member_count", slice.summary().invited());
        putUnread(node, roomId, out);
        return node;
    }

    /** The room's unread counts a source worked out (zero when it has none), per thread when asked for. */
    private void putUnread(ObjectNode node, String roomId, SyncResponseBuilder out) {
        ObjectNode unread = out.roomUnread(roomId);
        if (unread == null) {
            unread = node.putObject("unread_notifications");
            unread.put("highlight_count", 0);
            unread.put("notification_count", 0);
        } else {
            node.set("unread_notifications", unread);
        }
        ObjectNode threads = out.roomThreadUnread(roomId);
        if (threads != null) {
            node.set("unread_thread_notifications", threads);
        }
    }

    private ObjectNode strippedNode(SyncRequest request, SyncMembership m, List<RoomEvent> stripped) {
        ObjectNode node = mapper.createObjectNode();
        String section = "knock".equals(m.membership()) ? "knock_state" : "invite_state";
        node.putObject(section).set("events", events.strippedState(stripped, m.eventId(), request.requester()));
        return node;
    }

    private static boolean hasNews(ObjectNode node, StateSection section) {
        return !node.path("timeline").path("events").isEmpty()
                || !node.path(section.field()).path("events").isEmpty()
                || !node.path("ephemeral").path("events").isEmpty()
                || !node.path("account_data").path("events").isEmpty();
    }

    /** Joined rooms with no timeline news that a source still has ephemeral events, account data or new counts for. */
    private void addEphemeralOnly(SyncRequest request, SyncResponseBuilder out, ObjectNode join) {
        Set<String> roomIds = new TreeSet<>(out.roomEphemeral().keySet());
        roomIds.addAll(out.roomAccountData().keySet());
        roomIds.addAll(out.unreadChanged());
        EventFields fields = request.filter().projection();
        for (String roomId : roomIds) {
            if (join.has(roomId) || !request.joinedRoomIds().contains(roomId)
                    || !request.filter().room().allowsRoom(roomId)) {
                continue;
            }
            ObjectNode node = join.putObject(roomId);
            ObjectNode timeline = node.putObject("timeline");
            timeline.putArray("events");
            timeline.put("limited", false);
            node.putObject(request.stateSection().field()).putArray("events");
            node.putObject("ephemeral").set("events",
                    events.plain(out.roomEphemeral().getOrDefault(roomId, List.of()), fields));
            node.putObject("account_data").set("events",
                    events.plain(out.roomAccountData().getOrDefault(roomId, List.of()), fields));
            putUnread(node, roomId, out);
        }
    }
}
