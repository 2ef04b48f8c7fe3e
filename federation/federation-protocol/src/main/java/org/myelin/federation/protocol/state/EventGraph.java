package org.myelin.federation.protocol.state;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import org.myelin.federation.protocol.auth.AuthEvent;
import org.myelin.federation.protocol.auth.RoomCreate;
import org.myelin.federation.protocol.room.RoomVersion;

/** The auth DAG seen through an {@link EventLookup} during one resolution, with lookups memoised. */
final class EventGraph {

    private final EventLookup lookup;
    private final RoomVersion version;
    private final Map<String, Optional<AuthEvent>> cache = new HashMap<>();

    EventGraph(EventLookup lookup, RoomVersion version) {
        this.lookup = lookup;
        this.version = version;
    }

    RoomVersion version() {
        return version;
    }

    Optional<AuthEvent> find(String eventId) {
        return cache.computeIfAbsent(eventId, lookup::find);
    }

    /** An event that must be present, such as an entry of a state map being resolved. */
    AuthEvent require(String eventId) {
        return find(eventId).orElseThrow(() -> new IllegalArgumentException(
                "State resolution needs event " + eventId + " but the lookup does not have it"));
    }

    /**
     * The union of the auth chains of {@code starts}: every event reachable through {@code auth_events} links,
     * not counting a start itself unless another start reaches it. NOTSPEC: auth events the lookup lacks are
     * skipped rather than failing the resolution (as Synapse does); they cannot be placed in any state anyway.
     */
    Set<String> authChain(Collection<String> starts) {
        return walk(starts, id -> true);
    }

    /**
     * The events reachable from {@code starts} through {@code auth_events} links, going on past a reached event
     * only when {@code through} holds for it (the starts are always expanded).
     */
    Set<String> walk(Collection<String> starts, Predicate<String> through) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        starts.forEach(todo::push);
        Set<String> expanded = new LinkedHashSet<>();
        while (!todo.isEmpty()) {
            String id = todo.pop();
            if (!expanded.add(id)) {
                continue;
            }
            for (String authId : find(id).map(AuthEvent::authEventIds).orElse(List.of())) {
                if (find(authId).isPresent() && seen.add(authId) && through.test(authId)) {
                    todo.push(authId);
                }
            }
        }
        return seen;
    }

    /** The first event among {@code event}'s auth events with this type and an empty state key, if any. */
    Optional<AuthEvent> authEventOfType(AuthEvent event, String type) {
        for (String authId : event.authEventIds()) {
            Optional<AuthEvent> authEvent = find(authId);
            if (authEvent.isPresent() && type.equals(authEvent.get().type())
                    && "".equals(authEvent.get().stateKey())) {
                return authEvent;
            }
        }
        return Optional.empty();
    }

    /**
     * The room's create event as seen from {@code event}: from its auth events, or in room versions whose room ID
     * is derived from the create event (v12+), the event whose ID is the room ID with the sigil {@code $}.
     */
    Optional<AuthEvent> createEventFor(AuthEvent event) {
        if (RoomCreate.TYPE.equals(event.type()) && "".equals(event.stateKey())) {
            return Optional.of(event);
        }
        if (version.roomIdFromCreateEvent()) {
            String roomId = event.roomId();
            return roomId == null || roomId.isEmpty() ? Optional.empty() : find("$" + roomId.substring(1));
        }
        return authEventOfType(event, RoomCreate.TYPE);
    }
}
