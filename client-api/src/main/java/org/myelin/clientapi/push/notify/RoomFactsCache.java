package org.myelin.clientapi.push.notify;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.myelin.db.push.PushEvaluationRepository;
import org.myelin.ephemeral.LocalServer;
import org.myelin.federation.protocol.auth.PowerLevels;
import org.myelin.federation.protocol.auth.RoomCreate;
import org.myelin.federation.protocol.room.RoomVersion;
import org.myelin.federation.protocol.room.RoomVersions;

import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/**
 * {@link RoomFacts} of the most recently evaluated rooms. Only the evaluation thread uses it (batches run one after
 * another), and it forgets a room whenever one of the room's state events is evaluated, so a join, a leave, a new
 * display name or new power levels count from the next event on.
 */
final class RoomFactsCache {

    private static final int MAX_ROOMS = 1_000;

    private final PushEvaluationRepository repository;
    private final LocalServer localServer;
    private final ObjectMapper mapper;
    private final Map<String, RoomFacts> rooms = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RoomFacts> eldest) {
            return size() > MAX_ROOMS;
        }
    };

    RoomFactsCache(PushEvaluationRepository repository, LocalServer localServer, ObjectMapper mapper) {
        this.repository = repository;
        this.localServer = localServer;
        this.mapper = mapper;
    }

    synchronized void forget(String roomId) {
        rooms.remove(roomId);
    }

    synchronized void clear() {
        rooms.clear();
    }

    /** The room's facts, or nothing for a room of an unknown version or without a create event. */
    Mono<RoomFacts> facts(String roomId) {
        RoomFacts cached;
        synchronized (this) {
            cached = rooms.get(roomId);
        }
        if (cached != null) {
            return Mono.just(cached);
        }
        return Mono.zip(repository.localMembers(roomId, localServer.serverName()), repository.joinedCount(roomId),
                repository.roomState(roomId)).flatMap(t -> {
                    Optional<RoomVersion> version = Optional.ofNullable(t.getT3().roomVersion())
                            .flatMap(RoomVersions::find);
                    String create = t.getT3().eventsByType().get(RoomCreate.TYPE);
                    if (version.isEmpty() || create == null) {
                        return Mono.empty();
                    }
                    String levelsJson = t.getT3().eventsByType().get(PowerLevels.TYPE);
                    PowerLevels levels = PowerLevels.of(levelsJson == null ? null
                            : new StateEventView(mapper.readTree(levelsJson)),
                            RoomCreate.of(new StateEventView(mapper.readTree(create)), version.get()), version.get());
                    RoomFacts facts = new RoomFacts(t.getT1(), t.getT2(), levels, levels.notifications());
                    synchronized (this) {
                        rooms.put(roomId, facts);
                    }
                    return Mono.just(facts);
                });
    }
}
