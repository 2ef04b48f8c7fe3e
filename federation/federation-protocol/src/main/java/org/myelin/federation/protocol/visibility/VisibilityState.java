package org.myelin.federation.protocol.visibility;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.myelin.federation.protocol.auth.AuthEvent;
import org.myelin.federation.protocol.auth.Membership;

/**
 * What the history visibility rules read from the room state at one point: the history visibility setting and
 * the membership of each user who has a member event.
 *
 * @param historyVisibility the setting, {@link HistoryVisibility#SHARED} when the room has none
 * @param memberships       each user's membership; users without a member event, or with a value Myelin does
 *                          not know, are absent
 */
public record VisibilityState(HistoryVisibility historyVisibility, Map<String, Membership> memberships) {

    public VisibilityState {
        historyVisibility = historyVisibility == null ? HistoryVisibility.SHARED : historyVisibility;
        memberships = Map.copyOf(memberships);
    }

    /** Reads the setting and the memberships from the state events of a room state. */
    public static VisibilityState of(Collection<? extends AuthEvent> stateEvents) {
        HistoryVisibility visibility = HistoryVisibility.SHARED;
        Map<String, Membership> memberships = new HashMap<>();
        for (AuthEvent event : stateEvents) {
            if (HistoryVisibility.TYPE.equals(event.type()) && "".equals(event.stateKey())) {
                visibility = historyVisibilityOf(event);
            } else if (Membership.TYPE.equals(event.type()) && event.stateKey() != null) {
                membershipOf(event).ifPresent(membership -> memberships.put(event.stateKey(), membership));
            }
        }
        return new VisibilityState(visibility, memberships);
    }

    /** The membership of {@code userId}, empty when the user has never had a member event. */
    public Optional<Membership> membership(String userId) {
        return Optional.ofNullable(memberships.get(userId));
    }

    /** The setting an {@code m.room.history_visibility} event names. */
    static HistoryVisibility historyVisibilityOf(AuthEvent event) {
        return HistoryVisibility.parse(event.content().path("history_visibility").stringValue(null));
    }

    /** The membership an {@code m.room.member} event names, empty for a value Myelin does not know. */
    static Optional<Membership> membershipOf(AuthEvent event) {
        String value = event.content().path("membership").stringValue(null);
        for (Membership membership : Membership.values()) {
            if (membership.value().equals(value)) {
                return Optional.of(membership);
            }
        }
        return Optional.empty();
    }
}
