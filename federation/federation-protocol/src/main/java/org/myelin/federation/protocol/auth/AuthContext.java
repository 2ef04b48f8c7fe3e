package org.myelin.federation.protocol.auth;

import java.util.Optional;

import org.myelin.federation.protocol.room.RoomVersion;

/** The event under check with everything the state-dependent rules read about its room. */
final class AuthContext {

    final AuthEvent event;
    final AuthState state;
    final RoomVersion version;
    final RoomCreate create;
    final PowerLevels powerLevels;

    AuthContext(AuthEvent event, AuthState state, RoomVersion version, RoomCreate create) {
        this.event = event;
        this.state = state;
        this.version = version;
        this.create = create;
        this.powerLevels = PowerLevels.of(state.get(PowerLevels.TYPE, "").orElse(null), create, version);
    }

    /** The current membership of {@code userId}; empty for a value the version does not know. */
    Optional<Membership> membership(String userId) {
        return Membership.current(state, userId, version);
    }

    /** Whether {@code userId}'s current membership is {@code membership}. */
    boolean is(String userId, Membership membership) {
        return membership(userId).filter(membership::equals).isPresent();
    }

    /** The current power of {@code userId}. */
    long level(String userId) {
        return powerLevels.userLevel(userId);
    }

    /** The current power of the sender. */
    long senderLevel() {
        return level(event.sender());
    }
}
