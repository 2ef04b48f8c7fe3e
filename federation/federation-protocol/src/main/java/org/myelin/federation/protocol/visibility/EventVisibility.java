package org.myelin.federation.protocol.visibility;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.myelin.federation.protocol.auth.AuthEvent;
import org.myelin.federation.protocol.auth.Membership;

/**
 * The history visibility rules of the spec's "Room History Visibility" module, "Server behaviour": whether a user
 * may see an event, given the room state at that event.
 *
 * <p>The rules read the state <em>before</em> the event. For an {@code m.room.history_visibility} event, and for
 * the user's own {@code m.room.member} event, they are also applied to the state after the event, and the user
 * may see the event if either allows it. Every other event leaves both the setting and the user's membership
 * unchanged, so for it "before" and "after" agree.
 */
public final class EventVisibility {

    private EventVisibility() {
    }

    /**
     * Whether {@code userId} may see {@code event}, reading "the user joined the room at any point after the event
     * was sent" (rule 3) as "the user is joined now": the only later join a caller with no membership history
     * knows of. Synapse reads rule 3 the same way.
     *
     * @param stateBefore       the room state before the event
     * @param currentMembership the user's membership now, or {@code null} if the user has never been in the room
     */
    public static boolean canSee(String userId, AuthEvent event, VisibilityState stateBefore,
            Membership currentMembership) {
        return canSee(userId, event, stateBefore, currentMembership == Membership.JOIN);
    }

    /**
     * Whether {@code userId} may see {@code event}.
     *
     * @param stateBefore      the room state before the event
     * @param joinedAfterEvent whether the user joined the room at any point after the event was sent
     */
    public static boolean canSee(String userId, AuthEvent event, VisibilityState stateBefore,
            boolean joinedAfterEvent) {
        HistoryVisibility visibilityBefore = stateBefore.historyVisibility();
        Optional<Membership> membershipBefore = stateBefore.membership(userId);
        if (allows(visibilityBefore, membershipBefore, joinedAfterEvent)) {
            return true;
        }
        // For m.room.history_visibility events, allow if the setting before or after the event allows it.
        if (HistoryVisibility.TYPE.equals(event.type()) && "".equals(event.stateKey())) {
            return allows(VisibilityState.historyVisibilityOf(event), membershipBefore, joinedAfterEvent);
        }
        // For the user's own m.room.member events, allow if the membership before or after the event allows it.
        if (Membership.TYPE.equals(event.type()) && userId.equals(event.stateKey())) {
            return allows(visibilityBefore, VisibilityState.membershipOf(event), joinedAfterEvent);
        }
        return false;
    }

    /**
     * The events of {@code events} that {@code userId} may see, in order. Rule 3's "joined at any point after the
     * event" holds when the user is joined now, or when the user is joined in the state before a later event of
     * the list or sends their own join later in it: so a user who joined and then left still sees the shared
     * history before their join, as the spec's "after a user has left a room, they may see any events which they
     * were allowed to see before they left" requires.
     *
     * @param events            events of one room in the order they were sent (topological order)
     * @param stateBefore       the room state before each event
     * @param currentMembership the user's membership now, or {@code null} if the user has never been in the room
     */
    public static <E extends AuthEvent> List<E> filter(String userId, List<E> events,
            Function<? super E, VisibilityState> stateBefore, Membership currentMembership) {
        boolean[] visible = new boolean[events.size()];
        boolean joinedLater = currentMembership == Membership.JOIN;
        for (int i = events.size() - 1; i >= 0; i--) {
            E event = events.get(i);
            VisibilityState state = stateBefore.apply(event);
            visible[i] = canSee(userId, event, state, joinedLater);
            joinedLater |= state.membership(userId).filter(Membership.JOIN::equals).isPresent()
                    || isOwnJoin(userId, event);
        }
        List<E> result = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            if (visible[i]) {
                result.add(events.get(i));
            }
        }
        return result;
    }

    /** Rules 1–5 for one (setting, membership) pair. */
    private static boolean allows(HistoryVisibility visibility, Optional<Membership> membership,
            boolean joinedAfterEvent) {
        // 1. If the history_visibility was set to world_readable, allow.
        if (visibility == HistoryVisibility.WORLD_READABLE) {
            return true;
        }
        // 2. If the user's membership was join, allow.
        if (membership.filter(Membership.JOIN::equals).isPresent()) {
            return true;
        }
        // 3. If history_visibility was set to shared, and the user joined the room at any point after the event
        // was sent, allow.
        if (visibility == HistoryVisibility.SHARED && joinedAfterEvent) {
            return true;
        }
        // 4. If the user's membership was invite, and the history_visibility was set to invited, allow.
        // 5. Otherwise, deny.
        return visibility == HistoryVisibility.INVITED && membership.filter(Membership.INVITE::equals).isPresent();
    }

    private static boolean isOwnJoin(String userId, AuthEvent event) {
        return Membership.TYPE.equals(event.type()) && userId.equals(event.stateKey())
                && VisibilityState.membershipOf(event).filter(Membership.JOIN::equals).isPresent();
    }
}
