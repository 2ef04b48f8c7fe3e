package org.myelin.federation.protocol.auth;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.myelin.federation.protocol.auth.JoinRules.AllowCondition;
import org.myelin.federation.protocol.auth.JoinRules.Rule;

/**
 * Who may vouch for a join to a restricted room (room versions 8+; {@code knock_restricted} from 10): the rooms
 * whose members may join, whether a join needs a {@code join_authorised_via_users_server} at all, and which
 * member of a server can give it (auth rule 5.3.5.2: joined, with at least the invite level).
 */
public final class JoinAuthoriser {

    /** The allow condition type the spec defines. */
    public static final String ROOM_MEMBERSHIP = "m.room_membership";

    private JoinAuthoriser() {
    }

    /**
     * Whether a join under {@code rules} by a user whose current membership is {@code current} needs an
     * authorising user: only for restricted rules, and not when the user is already invited or joined (5.3.5.1).
     */
    public static boolean needed(JoinRules rules, Optional<Membership> current) {
        boolean restricted = rules.rule() == Rule.RESTRICTED || rules.rule() == Rule.KNOCK_RESTRICTED;
        return restricted && current.map(m -> m != Membership.JOIN && m != Membership.INVITE).orElse(true);
    }

    /** The rooms of the {@code m.room_membership} allow conditions, in order. */
    public static List<String> allowedRooms(JoinRules rules) {
        return rules.allow().stream().filter(c -> ROOM_MEMBERSHIP.equals(c.type()) && c.roomId() != null)
                .map(AllowCondition::roomId).distinct().toList();
    }

    /**
     * A user of {@code server} among {@code joined} (the room's joined members) with at least the invite level:
     * the most powerful, then the first by user ID, so repeated asks pick the same user.
     */
    public static Optional<String> pick(PowerLevels levels, Collection<String> joined, String server) {
        long invite = levels.get("invite");
        return joined.stream()
                .filter(user -> UserIds.isValid(user) && UserIds.domain(user).equals(server))
                .filter(user -> levels.userLevel(user) >= invite)
                .min(Comparator.comparingLong((String user) -> -levels.userLevel(user))
                        .thenComparing(Comparator.naturalOrder()));
    }
}
