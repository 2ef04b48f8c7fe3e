package org.myelin.clientapi.slidingsync;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import org.myelin.clientapi.auth.Requester;
import org.myelin.clientapi.push.notify.UnreadCountsSource.Counts;
import org.myelin.clientapi.slidingsync.ConnectionState.SentRoom;
import org.myelin.clientapi.slidingsync.SlidingSyncRequest.RoomConfig;
import org.myelin.clientapi.sync.SyncEvents;
import org.myelin.federation.protocol.filter.EventFields;
import org.myelin.federation.protocol.filter.RoomEventFilter;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.room.api.ClientSlidingSyncApi;
import org.myelin.room.api.ClientSyncApi;
import org.myelin.room.api.RoomEvent;
import org.myelin.room.api.SlidingRoomData;
import org.myelin.room.api.SlidingRoomListing;
import org.myelin.room.api.SlidingRoomQuery;
import org.myelin.room.api.SlidingRoomRead;
import org.myelin.room.api.StateSelection;
import org.myelin.room.api.SyncMembership;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One room of a sliding sync response ({@code rooms.<room_id>}), as Synapse builds it. A room the connection has
 * not been sent (or the user newly joined) is {@code initial}: its name, avatar, heroes, counts, the required
 * state as it is now and the latest timeline events. Otherwise only what changed since the position it was last
 * brought up to: new timeline events, the required state entries that changed (and those a wider
 * {@code required_state} now asks for), and name, avatar, heroes and counts when the state behind them changed. A
 * larger {@code timeline_limit} than the room was sent with resends the latest events
 * ({@code unstable_expanded_timeline}). Invites and knocks carry their stripped state only. Every result has the
 * room's unread notification and highlight counts, as /sync's {@code unread_notifications} counts them (Synapse
 * answers 0); a room whose counts changed since they were last sent is sent again with nothing else new.
 */
@Component
public class RoomResults {

    private static final String NAME = "m.room.name";
    private static final String AVATAR = "m.room.avatar";
    /** Incremental results working out their reads at once (each one or two queries). */
    private static final int PLANS_AT_ONCE = 4;

    private final ClientSlidingSyncApi rooms;
    private final ClientSyncApi syncApi;
    private final SyncEvents events;
    private final ObjectMapper mapper;

    public RoomResults(ClientSlidingSyncApi rooms, ClientSyncApi syncApi, SyncEvents events, ObjectMapper mapper) {
        this.rooms = rooms;
        this.syncApi = syncApi;
        this.events = events;
        this.mapper = mapper;
    }

    /**
     * What one room result is made from.
     *
     * @param status     the room's status in the connection (null: never sent, {@link ConnectionState#LIVE}, or
     *                   the events position it was brought up to)
     * @param previous   what it was last sent with, or null
     * @param since      the request's events position, or 0 without pos
     * @param upTo       the response's events position
     * @param counts     the room's unread counts now ({@link Counts#NONE} unless joined)
     */
    record Ask(Requester requester, SlidingRoomListing room, RoomConfig config, Long status, SentRoom previous,
            long since, long upTo, boolean dm, Counts counts) {

        String membership() {
            return room.membership().membership();
        }

        boolean joined() {
            return "join".equals(membership());
        }

        /** Sent from scratch: never sent, no pos, or joined since it was sent. */
        boolean initial() {
            return since == 0 || status == null || previous == null
                    || joined() && !"join".equals(previous.membership());
        }

        /** The events position the room was brought up to, for an incremental result. */
        long fromBound() {
            return status == ConnectionState.LIVE ? since : status;
        }

        /** A larger timeline limit than the room counts as sent with: the latest events go again. */
        boolean expandedTimeline() {
            return !initial() && previous.timelineLimit() < config.timelineLimit();
        }

        /** Unread counts other than those the room was last sent with. */
        boolean countsChanged() {
            return !initial() && !previous.counts().equals(counts);
        }

        /** A required_state taking entries the previous one did not. */
        boolean expandedState(String userId) {
            return !initial() && !previous.requiredState().selection(userId).covers(
                    config.requiredState().selection(userId));
        }
    }

    /**
     * The result, with what to record of it; the result's body is null when an incremental result has nothing
     * (the room is then not in the response, and its status stays).
     */
    record Result(ObjectNode body, SentRoom sent) {
    }

    /**
     * The results of {@code asks} (one per room, of one requester), in the same order: what each needs to be asked
     * of its room is worked out first (for an incremental result, which state changed), then the rooms are read
     * together.
     */
    Mono<List<Result>> build(List<Ask> asks) {
        if (asks.isEmpty()) {
            return Mono.just(List.of());
        }
        UserId user = UserId.parse(asks.get(0).requester().userId());
        return Flux.fromIterable(asks).flatMapSequential(this::plan, PLANS_AT_ONCE).collectList().flatMap(plans -> {
            List<SlidingRoomRead> reads = plans.stream().filter(p -> p.read() != null).map(Plan::read).toList();
            return rooms.roomData(user, reads).map(data -> {
                List<Result> out = new ArrayList<>(plans.size());
                int next = 0;
                for (Plan plan : plans) {
                    out.add(plan.read() == null ? plan.ready() : plan.finish().apply(data.get(next++)));
                }
                return out;
            });
        });
    }

    /**
     * One room's result: either ready (invites and knocks), or the read to make of the room and how its data
     * becomes the result.
     */
    private record Plan(Result ready, SlidingRoomRead read, Function<SlidingRoomData, Result> finish) {

        static Plan ready(Result result) {
            return new Plan(result, null, null);
        }

        static Plan read(Ask ask, SlidingRoomQuery query, Function<SlidingRoomData, Result> finish) {
            return new Plan(null, new SlidingRoomRead(ask.room(), query), finish);
        }
    }

    private Mono<Plan> plan(Ask ask) {
        String membership = ask.membership();
        if ("invite".equals(membership) || "knock".equals(membership)) {
            return syncApi.strippedStateEvents(ask.room().membership()).map(stripped -> {
                ObjectNode body = common(ask);
                if (ask.initial()) {
                    body.put("initial", true);
                }
                body.set("invite_state", events.strippedState(stripped, ask.room().membership().eventId(),
                        ask.requester()));
                return Plan.ready(new Result(body, new SentRoom(membership, ask.config().timelineLimit(),
                        ask.config().requiredState(), Set.of(), ask.counts())));
            });
        }
        return ask.initial() ? Mono.just(initial(ask)) : incremental(ask);
    }

    private Plan initial(Ask ask) {
        StateSelection required = ask.config().requiredState().selection(ask.requester().userId());
        StateSelection read = required.with(List.of(key(NAME), key(AVATAR)));
        SlidingRoomQuery query = new SlidingRoomQuery(0, ask.upTo(), ask.config().timelineLimit(), read, Set.of(),
                Set.of(), true);
        return Plan.read(ask, query, data -> {
            List<Entry> entries = entries(data.state());
            List<RoomEvent> state = entries.stream().filter(e -> required.matches(e.type(), e.stateKey())
                    || e.lazy(data)).map(Entry::event).toList();
            ObjectNode body = common(ask);
            body.put("initial", true);
            meta(body, data, entries, true, true, true);
            room(body, ask, data, state);
            return new Result(body, sent(ask, data, Set.of(), Set.of()));
        });
    }

    private Mono<Plan> incremental(Ask ask) {
        String user = ask.requester().userId();
        SyncMembership membership = ask.room().membership();
        long from = ask.fromBound();
        StateSelection required = ask.config().requiredState().selection(user);
        StateSelection before = ask.previous().requiredState().selection(user);
        boolean expandedState = ask.expandedState(user);
        boolean expandedTimeline = ask.expandedTimeline();
        return rooms.changedState(membership, from, ask.upTo()).map(changed -> {
            Set<StateSelection.Key> wanted = new HashSet<>();
            Set<String> memberChanges = new HashSet<>();
            for (StateSelection.Key k : changed) {
                if (required.matches(k.type(), k.stateKey()) || NAME.equals(k.type()) || AVATAR.equals(k.type())) {
                    wanted.add(k);
                }
                if (StateSelection.MEMBER.equals(k.type())) {
                    memberChanges.add(k.stateKey());
                }
            }
            boolean nameChanged = changed.contains(key(NAME));
            boolean avatarChanged = changed.contains(key(AVATAR));
            boolean membersChanged = !memberChanges.isEmpty();
            StateSelection read = (expandedState ? required : StateSelection.NONE).with(wanted);
            read = new StateSelection(read.allTypes(), read.allMembers(), required.lazyMembers(), read.types(),
                    read.anyTypeKeys(), read.keys());
            SlidingRoomQuery query = new SlidingRoomQuery(expandedTimeline ? 0 : from, ask.upTo(),
                    ask.config().timelineLimit(), read, ask.previous().lazyMembers(), memberChanges,
                    membersChanged && ask.joined());
            return Plan.read(ask, query, data -> {
                List<Entry> entries = entries(data.state());
                List<RoomEvent> state = new ArrayList<>();
                for (Entry e : entries) {
                    boolean asked = required.matches(e.type(), e.stateKey());
                    boolean news = changed.contains(new StateSelection.Key(e.type(), e.stateKey()));
                    if (asked && (news || !before.matches(e.type(), e.stateKey())) || e.lazy(data)) {
                        state.add(e.event());
                    }
                }
                ObjectNode body = common(ask);
                if (expandedTimeline) {
                    body.put("unstable_expanded_timeline", true);
                }
                meta(body, data, entries, nameChanged, avatarChanged, membersChanged);
                room(body, ask, data, state);
                boolean news = body.has("timeline") || body.has("required_state") || body.has("name")
                        || body.has("avatar") || body.has("heroes") || body.has("joined_count") || expandedTimeline
                        || ask.countsChanged();
                Set<String> invalidated = new HashSet<>(memberChanges);
                invalidated.removeAll(data.lazyMembers());
                return new Result(news ? body : null, sent(ask, data, ask.previous().lazyMembers(), invalidated));
            });
        });
    }

    /** The fields every result has. */
    private ObjectNode common(Ask ask) {
        ObjectNode body = mapper.createObjectNode();
        body.put("bump_stamp", Math.max(0, ask.room().sortPosition()));
        if (ask.dm()) {
            body.put("is_dm", true);
        }
        body.put("notification_count", ask.counts().notifications());
        body.put("highlight_count", ask.counts().highlights());
        return body;
    }

    /** Name, avatar, heroes and counts, each when asked for and known. */
    private void meta(ObjectNode body, SlidingRoomData data, List<Entry> state, boolean name, boolean avatar,
            boolean members) {
        String roomName = null;
        for (Entry e : state) {
            JsonNode content = e.content();
            if (name && NAME.equals(e.type()) && e.stateKey().isEmpty()) {
                roomName = content.path("name").stringValue(null);
            } else if (avatar && AVATAR.equals(e.type()) && e.stateKey().isEmpty()
                    && !content.path("url").stringValue("").isEmpty()) {
                body.put("avatar", content.path("url").stringValue());
            }
        }
        if (roomName != null && !roomName.isEmpty()) {
            body.put("name", roomName);
        }
        if (data.summary() == null || !members) {
            return;
        }
        body.put("joined_count", data.summary().joined());
        body.put("invited_count", data.summary().invited());
        if (roomName == null || roomName.isEmpty()) {
            ArrayNode heroes = mapper.createArrayNode();
            List<Entry> heroMembers = entries(data.heroMembers());
            for (String userId : data.summary().heroes()) {
                ObjectNode hero = heroes.addObject().put("user_id", userId);
                heroMembers.stream().filter(e -> userId.equals(e.stateKey())).findFirst().ifPresent(e -> {
                    JsonNode content = e.content();
                    if (content.path("displayname").isString()) {
                        hero.put("displayname", content.get("displayname").stringValue());
                    }
                    if (content.path("avatar_url").isString()) {
                        hero.put("avatar_url", content.get("avatar_url").stringValue());
                    }
                });
            }
            if (!heroes.isEmpty()) {
                body.set("heroes", heroes);
            }
        }
    }

    /** Timeline and required state. */
    private void room(ObjectNode body, Ask ask, SlidingRoomData data, List<RoomEvent> state) {
        if (!state.isEmpty()) {
            body.set("required_state", section(state, ask));
        }
        if (ask.config().timelineLimit() == 0) {
            return;
        }
        if (!data.timeline().isEmpty()) {
            body.set("timeline", section(data.timeline(), ask));
        }
        // NOTSPEC: an expanded timeline is older than what the client has; limited tells a client that appends
        // (matrix-js-sdk) to sort known and earlier events out, as Element X expects (Synapse: only with more history).
        body.put("limited", data.limited() || body.has("unstable_expanded_timeline"));
        if (data.prevBatch() != null) {
            body.put("prev_batch", data.prevBatch().token());
        }
        int live = 0;
        if (ask.since() > 0) {
            for (int i = data.timeline().size() - 1; i >= 0
                    && data.timeline().get(i).position().stream() > ask.since(); i--) {
                live++;
            }
        }
        body.put("num_live", live);
    }

    private ArrayNode section(List<RoomEvent> list, Ask ask) {
        return events.section(list, RoomEventFilter.ALL, EventFields.ALL, ask.requester());
    }

    /** What the room counts as sent with after this result. */
    private static SentRoom sent(Ask ask, SlidingRoomData data, Set<String> known, Set<String> invalidated) {
        int limit = ask.config().timelineLimit();
        if (!ask.initial() && !ask.expandedTimeline() && !(data.limited() && ask.previous().timelineLimit() > limit)) {
            limit = ask.previous().timelineLimit();
        }
        Set<String> lazy = new LinkedHashSet<>(known);
        lazy.removeAll(invalidated);
        lazy.addAll(data.lazyMembers());
        Set<String> kept = new LinkedHashSet<>();
        for (String member : lazy) {
            if (kept.size() == SentRoom.MAX_LAZY_MEMBERS) {
                break;
            }
            kept.add(member);
        }
        return new SentRoom(ask.membership(), limit, ask.config().requiredState(), kept, ask.counts());
    }

    private static StateSelection.Key key(String type) {
        return new StateSelection.Key(type, "");
    }

    private List<Entry> entries(List<RoomEvent> list) {
        List<Entry> out = new ArrayList<>(list.size());
        for (RoomEvent event : list) {
            JsonNode pdu = mapper.readTree(event.json());
            out.add(new Entry(event, pdu.path("type").stringValue(""), pdu.path("state_key").stringValue(""),
                    pdu.path("content")));
        }
        return out;
    }

    /** A state event, read once. */
    private record Entry(RoomEvent event, String type, String stateKey, JsonNode content) {

        /** Whether lazy loading added it. */
        boolean lazy(SlidingRoomData data) {
            return StateSelection.MEMBER.equals(type) && data.lazyMembers().contains(stateKey);
        }
    }
}
