package org.myelin.clientapi.ephemeral.presence;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.myelin.clientapi.sync.SyncRequest;
import org.myelin.clientapi.sync.SyncResponseBuilder;
import org.myelin.clientapi.sync.SyncStreamSource;
import org.myelin.db.ephemeral.PresenceRepository;
import org.myelin.db.ephemeral.PresenceRepository.Presence;
import org.myelin.db.notify.StreamPosition;
import org.myelin.ephemeral.StreamWriter;
import org.myelin.ephemeral.presence.PresenceService;
import org.myelin.ephemeral.presence.PresenceSettings;
import org.myelin.ephemeral.presence.PresenceStates;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The "presence" stream: m.presence events of the user and of users sharing a joined room with them, changed
 * since the last sync. One indexed query per sync, whatever the number of rooms; an initial sync leaves out users
 * who are offline without a status message. Nothing when presence is disabled.
 */
@Component
public class PresenceSource implements SyncStreamSource {

    private final PresenceSettings settings;
    private final StreamWriter writer;
    private final PresenceRepository presence;
    private final Clock clock;

    public PresenceSource(PresenceSettings settings, StreamWriter writer, PresenceRepository presence, Clock clock) {
        this.settings = settings;
        this.writer = writer;
        this.presence = presence;
        this.clock = clock;
    }

    @Override
    public String name() {
        return PresenceService.STREAM;
    }

    @Override
    public Mono<Long> currentPosition() {
        return writer.current(PresenceService.STREAM);
    }

    @Override
    public Mono<Void> contribute(SyncRequest request, long since, long upTo, SyncResponseBuilder out) {
        if (!settings.enabled()) {
            return Mono.empty();
        }
        return presence.visibleChanges(request.userId(), since, upTo)
                .doOnNext(changes -> add(changes, since == 0, Set.of(), out)).then();
    }

    /**
     * The presence of the members of rooms the user newly joined, as an initial sync would show it (Synapse
     * does the same): the window alone brings only the changes made in it. Users already reported are skipped.
     */
    @Override
    public Mono<Void> newlyJoined(SyncRequest request, Set<String> roomIds, long upTo, SyncResponseBuilder out) {
        if (!settings.enabled()) {
            return Mono.empty();
        }
        Set<String> reported = new HashSet<>();
        reported.add(request.userId());
        out.presence().forEach(event -> reported.add(event.path("sender").asString("")));
        return presence.inRooms(roomIds, upTo).doOnNext(found -> add(found, true, reported, out)).then();
    }

    /** Adds the m.presence events; {@code initial} leaves out users offline without a status message. */
    private void add(List<Presence> found, boolean initial, Set<String> skipped, SyncResponseBuilder out) {
        long now = clock.millis();
        for (Presence p : found) {
            if (skipped.contains(p.userId())
                    || initial && PresenceStates.OFFLINE.equals(p.state()) && p.statusMsg() == null) {
                continue;
            }
            ObjectNode event = JsonNodeFactory.instance.objectNode().put("type", "m.presence")
                    .put("sender", p.userId());
            event.set("content", PresenceStates.content(p, now));
            out.addPresence(event);
        }
    }

    /**
     * Any presence change may concern the user: whether the two share a room is decided by {@link #contribute}'s
     * query, which is cheaper than a membership lookup per wake-up and waiter.
     */
    @Override
    public boolean concerns(StreamPosition position, SyncRequest request) {
        return settings.enabled() && PresenceService.STREAM.equals(position.stream());
    }
}
