package org.myelin.federation.protocol.visibility;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.myelin.federation.protocol.auth.Membership;

/** The history visibility rules, table-driven, plus the before/after special cases and list filtering. */
class EventVisibilityTest {

    private static final String USER = "@user:example.org";
    private static final String OTHER = "@other:example.org";
    private static final List<String> NOW = List.of("join", "invite", "leave", "ban", "knock", "never");

    /**
     * Each setting × the user's membership at the event, for an ordinary message. "ifJoinedNow" is the answer
     * when the user's current membership is join; "otherwise" the answer for every other current membership
     * (invite, leave, ban, knock, never), since only a later join changes the outcome (rule 3).
     */
    @ParameterizedTest(name = "{0}, {1} at the event: joined now {2}, otherwise {3}")
    @CsvSource({
        "world_readable, join,   true,  true",
        "world_readable, invite, true,  true",
        "world_readable, leave,  true,  true",
        "world_readable, ban,    true,  true",
        "world_readable, knock,  true,  true",
        "world_readable, never,  true,  true",
        "shared,         join,   true,  true",
        "shared,         invite, true,  false",
        "shared,         leave,  true,  false",
        "shared,         ban,    true,  false",
        "shared,         knock,  true,  false",
        "shared,         never,  true,  false",
        "invited,        join,   true,  true",
        "invited,        invite, true,  true",
        "invited,        leave,  false, false",
        "invited,        ban,    false, false",
        "invited,        knock,  false, false",
        "invited,        never,  false, false",
        "joined,         join,   true,  true",
        "joined,         invite, false, false",
        "joined,         leave,  false, false",
        "joined,         ban,    false, false",
        "joined,         knock,  false, false",
        "joined,         never,  false, false",
        "not_a_setting,  invite, true,  false",
        "not_a_setting,  never,  true,  false",
    })
    void messageVisibilityShouldFollowTheRulesForEachMembershipNow(String setting, String atEvent,
            boolean ifJoinedNow, boolean otherwise) {
        VisibilityState state = state(setting, atEvent);

        for (String now : NOW) {
            boolean expected = "join".equals(now) ? ifJoinedNow : otherwise;
            assertThat(EventVisibility.canSee(USER, TestEvent.message("$m", OTHER), state, membership(now)))
                    .as("%s, %s at the event, %s now", setting, atEvent, now).isEqualTo(expected);
        }
    }

    @Test
    void missingSettingShouldBeReadAsShared() {
        assertThat(VisibilityState.of(List.of()).historyVisibility()).isEqualTo(HistoryVisibility.SHARED);
        assertThat(HistoryVisibility.parse(null)).isEqualTo(HistoryVisibility.SHARED);
    }

    @ParameterizedTest(name = "{0} -> {1} seen by an outsider: {2}")
    @CsvSource({
        "joined,         world_readable, true",
        "world_readable, joined,         true",
        "joined,         invited,        false",
        "shared,         joined,         false",
    })
    void historyVisibilityChangeShouldBeVisibleWhenTheSettingBeforeOrAfterAllowsIt(String before, String after,
            boolean expected) {
        TestEvent change = TestEvent.historyVisibility("$hv", after);

        assertThat(EventVisibility.canSee(USER, change, state(before, "never"), (Membership) null))
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "under {0}, own {1} -> {2}: {3}")
    @CsvSource({
        "joined,  never,  join,   true",
        "joined,  join,   leave,  true",
        "joined,  join,   ban,    true",
        "joined,  never,  invite, false",
        "invited, never,  invite, true",
        "invited, invite, leave,  true",
        "joined,  invite, leave,  false",
        "joined,  never,  knock,  false",
    })
    void ownMembershipEventShouldBeVisibleWhenTheMembershipBeforeOrAfterAllowsIt(String setting, String before,
            String after, boolean expected) {
        TestEvent member = TestEvent.member("$member", USER, after);

        assertThat(EventVisibility.canSee(USER, member, state(setting, before), membership(after)))
                .isEqualTo(expected);
    }

    @Test
    void otherUsersJoinShouldNotGetTheOwnMembershipException() {
        TestEvent otherJoin = TestEvent.member("$member", OTHER, "join");

        assertThat(EventVisibility.canSee(USER, otherJoin, state("joined", "never"), (Membership) null)).isFalse();
    }

    @Test
    void filterShouldShowSharedHistoryBeforeAJoinWhenTheUserHasSinceLeft() {
        TestEvent before = TestEvent.message("$before", OTHER);
        TestEvent join = TestEvent.member("$join", USER, "join");
        TestEvent during = TestEvent.message("$during", OTHER);
        TestEvent leave = TestEvent.member("$leave", USER, "leave");
        TestEvent after = TestEvent.message("$after", OTHER);
        Map<TestEvent, VisibilityState> states = new HashMap<>();
        states.put(before, state("shared", "never"));
        states.put(join, state("shared", "never"));
        states.put(during, state("shared", "join"));
        states.put(leave, state("shared", "join"));
        states.put(after, state("shared", "leave"));

        List<TestEvent> visible = EventVisibility.filter(USER, List.of(before, join, during, leave, after),
                states::get, Membership.LEAVE);

        assertThat(visible).containsExactly(before, join, during, leave);
    }

    @Test
    void filterShouldHideJoinedOnlyHistoryFromANewMember() {
        TestEvent before = TestEvent.message("$before", OTHER);
        TestEvent join = TestEvent.member("$join", USER, "join");
        TestEvent during = TestEvent.message("$during", OTHER);
        Map<TestEvent, VisibilityState> states = Map.of(before, state("joined", "never"),
                join, state("joined", "never"), during, state("joined", "join"));

        assertThat(EventVisibility.filter(USER, List.of(before, join, during), states::get, Membership.JOIN))
                .containsExactly(join, during);
    }

    @Test
    void stateShouldBeReadFromStateEvents() {
        VisibilityState state = VisibilityState.of(List.of(TestEvent.historyVisibility("$hv", "invited"),
                TestEvent.member("$m", USER, "invite"), TestEvent.member("$x", OTHER, "custom")));

        assertThat(state.historyVisibility()).isEqualTo(HistoryVisibility.INVITED);
        assertThat(state.membership(USER)).contains(Membership.INVITE);
        assertThat(state.membership(OTHER)).isEmpty();
    }

    private static VisibilityState state(String setting, String membership) {
        Map<String, Membership> memberships = new HashMap<>();
        if (membership(membership) != null) {
            memberships.put(USER, membership(membership));
        }
        return new VisibilityState(HistoryVisibility.parse(setting), memberships);
    }

    private static Membership membership(String value) {
        return "never".equals(value) ? null : Membership.valueOf(value.toUpperCase(Locale.ROOT));
    }
}
