package org.myelin.federation.server.read;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.myelin.db.room.EventRow;
import org.myelin.db.room.StateEntry;
import org.myelin.federation.protocol.auth.Membership;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.federation.protocol.visibility.HistoryVisibility;
import org.myelin.federation.protocol.visibility.ServerVisibility;
import org.myelin.federation.protocol.visibility.VisibilityState;
import org.myelin.federation.server.transaction.PduChecks;
import org.myelin.room.graph.RoomStore;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who may read what: a server may read a room only while one of its users is joined to it (or its history is
 * world-readable) and its ACL allows the server, else {@code 403 M_FORBIDDEN}; of the events it asks for it gets
 * those {@link ServerVisibility} lets it see at each event's state before. Events without a state before
 * (outliers, the create event) are visible to a server in the room.
 */
final class ServerReadAccess {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> TYPES = Set.of(HistoryVisibility.TYPE, Membership.TYPE);

    private final RoomStore store;
    private final PduChecks checks;

    ServerReadAccess(RoomStore store, PduChecks checks) {
        this.store = store;
        this.checks = checks;
    }

    /** Completes when {@code server} may read {@code roomId}; 404 for a room this server is not in. */
    Mono<Void> requireInRoom(String roomId, ServerName server) {
        return store.rooms().find(roomId)
                .switchIfEmpty(Mono.error(() -> MatrixException.notFound("This server is not in " + roomId)))
                .then(checks.aclAllows(roomId, server))
                .flatMap(allowed -> allowed ? store.memberships().members(roomId)
                        : Mono.error(MatrixException.forbidden("The room's server ACL denies " + server)))
                .flatMap(members -> members.stream().anyMatch(m -> "join".equals(m.membership())
                        && ofServer(m.userId(), server)) ? Mono.<Void>empty() : worldReadable(roomId, server));
    }

    private Mono<Void> worldReadable(String roomId, ServerName server) {
        return store.currentState().event(roomId, HistoryVisibility.TYPE, "")
                .map(row -> HistoryVisibility.parse(content(row).path("history_visibility").stringValue(null)))
                .filter(v -> v == HistoryVisibility.WORLD_READABLE)
                .switchIfEmpty(Mono.error(() -> MatrixException.forbidden(server + " is not in room " + roomId)))
                .then();
    }

    /** The rows {@code server} may see, in their order. */
    Mono<List<EventRow>> visible(ServerName server, List<EventRow> rows) {
        List<String> ids = rows.stream().map(EventRow::eventId).toList();
        return store.stateGroupsAt().groupsBefore(ids).flatMap(groups -> Flux.fromIterable(Set.copyOf(groups.values()))
                .concatMap(group -> state(group).map(state -> Map.entry(group, ServerVisibility.canSee(server, state))))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue)
                .map(visibleGroups -> {
                    List<EventRow> out = new ArrayList<>();
                    for (EventRow row : rows) {
                        Long group = groups.get(row.eventId());
                        if (group == null || visibleGroups.get(group)) {
                            out.add(row);
                        }
                    }
                    return out;
                }));
    }

    private Mono<VisibilityState> state(long group) {
        return store.stateGroups().loadTypes(group, TYPES)
                .flatMap(entries -> store.events().findAll(entries.stream().map(StateEntry::eventId).toList()))
                .map(events -> {
                    HistoryVisibility visibility = HistoryVisibility.SHARED;
                    Map<String, Membership> memberships = new HashMap<>();
                    for (EventRow event : events) {
                        JsonNode content = content(event);
                        if (HistoryVisibility.TYPE.equals(event.type())) {
                            visibility = HistoryVisibility.parse(content.path("history_visibility").stringValue(null));
                        } else {
                            String value = content.path("membership").stringValue("");
                            for (Membership m : Membership.values()) {
                                if (m.value().equals(value)) {
                                    memberships.put(event.stateKey(), m);
                                }
                            }
                        }
                    }
                    return new VisibilityState(visibility, memberships);
                });
    }

    private static JsonNode content(EventRow row) {
        return JSON.readTree(row.json()).path("content");
    }

    private static boolean ofServer(String userId, ServerName server) {
        try {
            return UserId.parse(userId).server().equals(server);
        } catch (MatrixException e) {
            return false;
        }
    }
}
