package org.myelin.clientapi.slidingsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.myelin.room.api.StateSelection;

class RequiredStateTest {

    private static final String ME = "@me:x";

    @Test
    void meShouldBeTheUserAndLazyTheLazyFlag() {
        StateSelection s = RequiredState.of(List.of(List.of("m.room.member", "$ME"),
                List.of("m.room.member", "$LAZY"), List.of("m.room.name", ""))).selection(ME);
        assertThat(s.keys()).containsExactlyInAnyOrder(new StateSelection.Key("m.room.member", ME),
                new StateSelection.Key("m.room.name", ""));
        assertThat(s.lazyMembers()).isTrue();
        assertThat(s.allMembers()).isFalse();
    }

    @Test
    void wildcardsShouldTakeTypesKeysOrEverything() {
        StateSelection children = RequiredState.of(List.of(List.of("m.space.child", "*"),
                List.of("*", "$ME"))).selection(ME);
        assertThat(children.types()).containsExactly("m.space.child");
        assertThat(children.anyTypeKeys()).containsExactly(ME);
        StateSelection members = RequiredState.of(List.of(List.of("m.room.member", "*"))).selection(ME);
        assertThat(members.allMembers()).isTrue();
        assertThat(members.allTypes()).isFalse();
        StateSelection all = RequiredState.of(List.of(List.of("*", "*"))).selection(ME);
        assertThat(all.allTypes()).isTrue();
        assertThat(all.allMembers()).isTrue();
    }

    @Test
    void everythingWithLazyMembersShouldLeaveMembersToLazyLoadingUnlessAllMembersAreAsked() {
        StateSelection lazy = RequiredState.of(List.of(List.of("*", "*"), List.of("m.room.member", "$LAZY")))
                .selection(ME);
        assertThat(lazy.allTypes()).isTrue();
        assertThat(lazy.allMembers()).isFalse();
        assertThat(lazy.lazyMembers()).isTrue();
        StateSelection full = RequiredState.of(List.of(List.of("*", "*"), List.of("m.room.member", "$LAZY"),
                List.of("m.room.member", "*"))).selection(ME);
        assertThat(full.allMembers()).isTrue();
        assertThat(full.lazyMembers()).isFalse();
    }

    @Test
    void unionShouldMergeAndEqualConfigsBeEqual() {
        RequiredState a = RequiredState.of(List.of(List.of("m.room.name", "")));
        RequiredState b = RequiredState.of(List.of(List.of("m.room.topic", ""), List.of("m.room.name", "")));
        assertThat(a.union(b)).isEqualTo(b);
        assertThat(RequiredState.of(List.of(List.of("m.room.topic", ""), List.of("m.room.name", ""))))
                .isEqualTo(RequiredState.of(List.of(List.of("m.room.name", ""), List.of("m.room.topic", ""))));
        assertThat(RequiredState.NONE.selection(ME).isEmpty()).isTrue();
    }
}
