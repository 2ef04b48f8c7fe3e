package org.myelin.ephemeral.presence;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.myelin.db.ephemeral.PresenceRepository;
import org.myelin.db.ephemeral.PresenceRepository.Presence;
import org.myelin.ephemeral.LocalServer;
import org.myelin.ephemeral.OutboundEdus;
import org.myelin.ephemeral.StreamWriter;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Changes presence: an explicit state and status message ({@link #set}, from PUT /presence/{userId}/status) and
 * the implicit one of a syncing client ({@link #setFromSync}, from /sync's {@code set_presence}). A
 * change of state or status message takes a position and wakes syncs; mere activity only refreshes
 * {@code last_active_ts}, at most once a minute, and wakes nobody.
 */
@Component
public class PresenceService {

    /** The "presence" stream's name in sync tokens and wake-ups. */
    public static final String STREAM = "presence";
    /** Activity refreshes last_active_ts at most this often. */
    static final Duration ACTIVITY_GRANULARITY = Duration.ofMinutes(1);

    private final PresenceSettings settings;
    private final StreamWriter writer;
    private final PresenceRepository presence;
    private final Clock clock;
    private final LocalServer localServer;
    private final OutboundEdus outbound;

    public PresenceService(PresenceSettings settings, StreamWriter writer, PresenceRepository presence, Clock clock,
            LocalServer localServer, OutboundEdus outbound) {
        this.settings = settings;
        this.writer = writer;
        this.presence = presence;
        this.clock = clock;
        this.localServer = localServer;
        this.outbound = outbound;
    }

    /**
     * Stores another server's user's presence as its {@code m.presence} EDU told it ({@code lastActiveAgoMs} before
     * now); a no-op when presence is disabled or the state is not one of the spec's three.
     */
    public Mono<Void> setRemote(String userId, String state, String statusMsg, long lastActiveAgoMs) {
        if (!settings.enabled() || !PresenceStates.isValid(state)) {
            return Mono.empty();
        }
        return write(new Presence(userId, state, statusMsg, clock.millis() - Math.max(0, lastActiveAgoMs)));
    }

    /**
     * For /sync's {@code set_presence} ({@code null} means the default, online): {@code offline} leaves presence
     * alone, as the spec says; {@code online} and {@code unavailable} set it when it differs and otherwise count
     * as activity. A no-op when presence is disabled. A bad value errors with 400 M_INVALID_PARAM.
     */
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

    /**
     * Sets state and status message ({@code null}: none); a state other than the spec's three is 400
     * M_INVALID_PARAM. A no-op when presence is disabled.
     */
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

    /** Stores {@code p}; a local user's change also goes to the servers sharing a room with them. */
    private Mono<Void> write(Presence p) {
        return writer.write(STREAM, 1, position -> presence.put(p, position)
                .then(localServer.isLocal(p.userId())
                        ? outbound.toServersOf(p.userId(), "m.presence", edu(p)) : Mono.empty())
                .thenReturn(List.of(p.userId()))).then();
    }

    /** {@code {push: [{user_id, presence, status_msg, last_active_ago, currently_active}]}}. */
    private ObjectNode edu(Presence p) {
        ObjectNode content = JsonNodeFactory.instance.objectNode();
        ObjectNode entry = content.putArray("push").addObject().put("user_id", p.userId()).put("presence", p.state())
                .put("last_active_ago", Math.max(0, clock.millis() - p.lastActiveTs()))
                .put("currently_active", PresenceStates.ONLINE.equals(p.state()));
        if (p.statusMsg() != null) {
            entry.put("status_msg", p.statusMsg());
        }
        return content;
    }
}
