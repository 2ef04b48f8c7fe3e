package org.myelin.federation.protocol.auth;

import java.util.Optional;

import org.myelin.federation.protocol.room.RoomVersion;

/** The values of {@code content.membership} in {@code m.room.member} events. */
public enum Membership {
    JOIN("join"),
    INVITE("invite"),
    LEAVE("leave"),
    BAN("ban"),
    /** Room versions 7+ only. */
    KNOCK("knock");

    /** The event type of membership events. */
    public static final String TYPE = "m.room.member";

    private final String value;

    Membership(String value) {
        this.value = value;
    }

    /** The wire value, e.g. "join". */
    public String value() {
        return value;
    }

    /** The membership named by {@code value} if {@code version} knows it; empty for anything else. */
    public static Optional<Membership> parse(String value, RoomVersion version) {
        for (Membership membership : values()) {
            if (membership.value.equals(value)) {
                return membership == KNOCK && !version.knockingAllowed() ? Optional.empty() : Optional.of(membership);
            }
        }
        return Optional.empty();
    }

    /**
     * The current membership of {@code userId} in {@code state}: {@link #LEAVE} when the user has no member event,
     * empty when the member event holds a value the version does not know.
     */
    public static Optional<Membership> current(AuthState state, String userId, RoomVersion version) {
        return state.get(TYPE, userId)
                .map(member -> parse(member.content().path("membership").stringValue(null), version))
                .orElse(Optional.of(LEAVE));
    }
}
