package org.myelin.federation.protocol.visibility;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.myelin.federation.protocol.auth.Membership;
import org.myelin.federation.protocol.id.ServerName;

class ServerVisibilityTest {

    private static final ServerName B = ServerName.parse("b.example");

    private static boolean canSee(HistoryVisibility visibility, Map<String, Membership> memberships) {
        return ServerVisibility.canSee(B, new VisibilityState(visibility, memberships));
    }

    @Test
    void sharedAndWorldReadableHistoryIsVisibleToAnyServer() {
        assertThat(canSee(HistoryVisibility.SHARED, Map.of())).isTrue();
        assertThat(canSee(HistoryVisibility.WORLD_READABLE, Map.of())).isTrue();
    }

    @Test
    void invitedHistoryNeedsAnInvitedOrJoinedUserOfTheServer() {
        assertThat(canSee(HistoryVisibility.INVITED, Map.of("@bob:b.example", Membership.INVITE))).isTrue();
        assertThat(canSee(HistoryVisibility.INVITED, Map.of("@bob:b.example", Membership.LEAVE))).isFalse();
        assertThat(canSee(HistoryVisibility.INVITED, Map.of("@bob:c.example", Membership.JOIN))).isFalse();
    }

    @Test
    void joinedHistoryNeedsAJoinedUserOfTheServer() {
        assertThat(canSee(HistoryVisibility.JOINED, Map.of("@bob:b.example", Membership.JOIN))).isTrue();
        assertThat(canSee(HistoryVisibility.JOINED, Map.of("@bob:b.example", Membership.INVITE))).isFalse();
        assertThat(canSee(HistoryVisibility.JOINED, Map.of("@bob:b.example.evil", Membership.JOIN))).isFalse();
    }
}
