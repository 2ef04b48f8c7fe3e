package org.myelin.room.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class StateSelectionTest {

    private static final StateSelection.Key NAME = new StateSelection.Key("m.room.name", "");
    private static final StateSelection.Key ALICE = new StateSelection.Key(StateSelection.MEMBER, "@alice:x");

    @Test
    void allTypesShouldTakeEverythingButMembersUnlessAllMembersToo() {
        StateSelection nonMembers = new StateSelection(true, false, false, Set.of(), Set.of(), Set.of());
        assertThat(nonMembers.matches("m.room.topic", "")).isTrue();
        assertThat(nonMembers.matches(StateSelection.MEMBER, "@bob:x")).isFalse();
        StateSelection all = new StateSelection(true, true, false, Set.of(), Set.of(), Set.of());
        assertThat(all.matches(StateSelection.MEMBER, "@bob:x")).isTrue();
    }

    @Test
    void typesAnyTypeKeysAndKeysShouldEachMatch() {
        StateSelection s = new StateSelection(false, false, false, Set.of("m.space.child"), Set.of("@alice:x"),
                Set.of(NAME));
        assertThat(s.matches("m.space.child", "!a:x")).isTrue();
        assertThat(s.matches("org.example", "@alice:x")).isTrue();
        assertThat(s.matches("m.room.name", "")).isTrue();
        assertThat(s.matches("m.room.topic", "")).isFalse();
        assertThat(s.matches(StateSelection.MEMBER, "@bob:x")).isFalse();
    }

    @Test
    void coversShouldTellWhetherAnotherSelectionAsksForMore() {
        StateSelection names = StateSelection.of(List.of(NAME));
        StateSelection namesAndAlice = StateSelection.of(List.of(NAME, ALICE));
        StateSelection everything = new StateSelection(true, true, false, Set.of(), Set.of(), Set.of());
        StateSelection lazy = new StateSelection(false, false, true, Set.of(), Set.of(), Set.of());
        assertThat(namesAndAlice.covers(names)).isTrue();
        assertThat(names.covers(namesAndAlice)).isFalse();
        assertThat(everything.covers(namesAndAlice)).isTrue();
        assertThat(everything.covers(lazy)).isTrue();
        assertThat(names.covers(lazy)).isFalse();
        assertThat(names.covers(StateSelection.NONE)).isTrue();
    }

    @Test
    void unionShouldKeepEveryPartAndMembersAreNotAType() {
        StateSelection u = StateSelection.of(List.of(NAME)).union(new StateSelection(false, true, true,
                Set.of("m.room.topic"), Set.of(), Set.of()));
        assertThat(u.allMembers()).isTrue();
        assertThat(u.lazyMembers()).isTrue();
        assertThat(u.matches("m.room.topic", "")).isTrue();
        assertThat(u.matches("m.room.name", "")).isTrue();
        assertThat(StateSelection.NONE.isEmpty()).isTrue();
        assertThat(u.isEmpty()).isFalse();
        assertThatThrownBy(() -> new StateSelection(false, false, false, Set.of(StateSelection.MEMBER), Set.of(),
                Set.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
