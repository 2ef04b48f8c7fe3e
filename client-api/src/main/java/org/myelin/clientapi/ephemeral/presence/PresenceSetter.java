package org.myelin.clientapi.ephemeral.presence;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.myelin.clientapi.ephemeral.StreamWriter;
import org.myelin.clientapi.sync.SyncPresence;
import org.myelin.db.ephemeral.PresenceRepository;
import org.myelin.db.ephemeral.PresenceRepository.Presence;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * Changes presence: from PUT /presence/{userId}/status and from /sync's {@code set_presence}
 * ({@link #setFromSync}). A change of state or status message takes a position and wakes syncs; mere activity
 * only refreshes {@code last_active_ts}, at most once a minute, and wakes nobody.
 */
@Component
public class PresenceSetter implements SyncPresence {

    /** The "presence" stream's name in sync tokens and wake-ups. */
    public static final String STREAM = "presence";
    /** Activity refreshes last_active_ts at most this often. */
    static final Duration ACTIVITY_GRANULARITY = Duration.ofMinutes(1);

    private final PresenceSettings settings;
    private final StreamWriter writer;
    private final PresenceRepository presence;
    private final Clock clock;

    public PresenceSetter(PresenceSettings settings, StreamWriter writer, PresenceRepository presence, Clock clock) {
        this.settings = settings;
        this.writer = writer;
        this.presence = presence;
        this.clock = clock;
    }

    /**
     * For /sync's {@code set_presence} ({@code null} means the default, online): {@code offline} leaves presence
     * alone, as the spec says; {@code online} and {@code unavailable} set it when it differs and otherwise count
     * as activity. A no-op when presence is disabled.
     */
    @Override
    public Mono<Void> setFromSync(String userId, String state) {
        String wanted = state == null ? PresenceStates.ONLINE : PresenceStates.check(state);
        if (!settings.enabled() || PresenceStates.OFFLINE.equals(wanted)) {
            return Mono.empty();
        }
        long now = clock.millis();
        return presence.find(userId).map(Optional::of).defaultIfEmpty(Optional.empty())
                .flatMap(current -> {
                    if (current.isPresent() && current.get().state().equals(wanted)) {
                        return now - current.get().lastActiveTs() >= ACTIVITY_GRANULARITY.toMillis()
                                ? presence.touch(userId, now) : Mono.empty();
                    }
                    String statusMsg = current.map(Presence::statusMsg).orElse(null);
                    return write(new Presence(userId, wanted, statusMsg, now));
                });
    }

    /** For PUT /presence/{userId}/status: sets state and status message (a no-op when presence is disabled). */
    public Mono<Void> set(String userId, String state, String statusMsg) {
        PresenceStates.check(state);
        if (!settings.enabled()) {
            return Mono.empty();
        }
        long now = clock.millis();
        return presence.find(userId).map(Optional::of).defaultIfEmpty(Optional.empty())
                .flatMap(current -> {
                    long lastActive = PresenceStates.ONLINE.equals(state) || current.isEmpty() ? now
                            : current.get().lastActiveTs();
                    if (current.isPresent() && current.get().state().equals(state)
                            && Objects.equals(current.get().statusMsg(), statusMsg)) {
                        return presence.touch(userId, lastActive);
                    }
                    return write(new Presence(userId, state, statusMsg, lastActive));
                });
    }

    private Mono<Void> write(Presence p) {
        return writer.write(STREAM, 1, position -> presence.put(p, position).thenReturn(List.of(p.userId())))
                .then();
    }
}
