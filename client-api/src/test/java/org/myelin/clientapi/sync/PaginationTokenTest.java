package org.myelin.clientapi.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.room.api.EventsBound;
import org.myelin.room.api.TimelinePosition;

/** The tokens room reads take: /messages tokens and /sync tokens, and back. */
class PaginationTokenTest {

    @Test
    void aMessagesTokenShouldBeATimelinePosition() {
        assertThat(PaginationToken.parse("t12-34")).isEqualTo(new TimelinePosition(12, 34));
        assertThat(PaginationToken.format(new TimelinePosition(12, 34))).isEqualTo("t12-34");
    }

    @Test
    void aBackfilledEventsNegativeStreamOrderingShouldRoundTrip() {
        assertThat(PaginationToken.format(new TimelinePosition(7, -15))).isEqualTo("t7--15");
        assertThat(PaginationToken.parse("t7--15")).isEqualTo(new TimelinePosition(7, -15));
    }

    @Test
    void aSyncTokenShouldBeItsEventsPosition() {
        assertThat(PaginationToken.parse("sevents-41~presence-3~to_device-9")).isEqualTo(new EventsBound(41));
        assertThat(PaginationToken.parse("spresence-3")).as("a token without events is before every event")
                .isEqualTo(new EventsBound(0));
        assertThat(PaginationToken.eventsBefore(41)).isEqualTo("sevents-41");
        assertThat(PaginationToken.parse(PaginationToken.format(new EventsBound(41)))).isEqualTo(new EventsBound(41));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "s", "sevents-x", "sevents-1~events-2", "t1", "t1-2-3", "x1-2", "t-1-2", "t1---2"})
    void anythingElseShouldBeAnInvalidParameter(String token) {
        assertThatThrownBy(() -> PaginationToken.parse(token)).isInstanceOfSatisfying(MatrixException.class,
                e -> assertThat(e.errCode()).isEqualTo(ErrCode.M_INVALID_PARAM));
    }
}
