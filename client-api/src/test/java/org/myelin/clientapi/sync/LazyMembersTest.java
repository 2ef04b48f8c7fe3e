package org.myelin.clientapi.sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a device counts as having been sent, by event and by the position of the response that carried it. */
class LazyMembersTest {

    private final LazyMembers members = new LazyMembers();

    @Test
    void aMemberEventShouldCountAsSeenFromTheResponseThatCarriedItOn() {
        members.sent("@a:x", "DEV", "!r:x", "@b:x", "$join", 10);

        assertThat(members.seen("@a:x", "DEV", "!r:x", "@b:x", "$join", 10)).isTrue();
        assertThat(members.seen("@a:x", "DEV", "!r:x", "@b:x", "$join", 25)).isTrue();
        assertThat(members.seen("@a:x", "DEV", "!r:x", "@b:x", "$join", 9))
                .as("a client back at an older token never had it").isFalse();
    }

    @Test
    void anotherEventDeviceRoomOrMemberShouldNotCountAsSeen() {
        members.sent("@a:x", "DEV", "!r:x", "@b:x", "$join", 10);

        assertThat(members.seen("@a:x", "DEV", "!r:x", "@b:x", "$rename", 20)).isFalse();
        assertThat(members.seen("@a:x", "OTHER", "!r:x", "@b:x", "$join", 20)).isFalse();
        assertThat(members.seen("@a:x", "DEV", "!other:x", "@b:x", "$join", 20)).isFalse();
        assertThat(members.seen("@a:x", "DEV", "!r:x", "@c:x", "$join", 20)).isFalse();
    }

    @Test
    void aResetShouldForgetTheDevice() {
        members.sent("@a:x", "DEV", "!r:x", "@b:x", "$join", 10);
        members.sent("@a:x", "KEPT", "!r:x", "@b:x", "$join", 10);

        members.reset("@a:x", "DEV");

        assertThat(members.seen("@a:x", "DEV", "!r:x", "@b:x", "$join", 20)).isFalse();
        assertThat(members.seen("@a:x", "KEPT", "!r:x", "@b:x", "$join", 20)).isTrue();
    }

    @Test
    void theOldestEntriesShouldGoFirstPastTheBound() {
        for (int i = 0; i <= LazyMembers.MEMBERS_PER_DEVICE; i++) {
            members.sent("@a:x", "DEV", "!r:x", "@m" + i + ":x", "$e" + i, 1);
        }

        assertThat(members.seen("@a:x", "DEV", "!r:x", "@m0:x", "$e0", 1)).isFalse();
        assertThat(members.seen("@a:x", "DEV", "!r:x", "@m1:x", "$e1", 1)).isTrue();
    }
}
