package org.myelin.federation.protocol.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;

/** The /search next_batch: round trips keep every field exactly; anything else is M_INVALID_PARAM. */
class SearchTokenTest {

    @Test
    void aRankTokenShouldRoundTripTheExactFloat() {
        float rank = 0.0607927f;
        SearchToken token = SearchToken.afterRank(rank, -42);
        SearchToken back = SearchToken.parse(token.encode());
        assertThat(back).isEqualTo(token);
        assertThat(Float.floatToIntBits(back.rank())).isEqualTo(Float.floatToIntBits(rank));
        assertThat(back.room()).isNull();
    }

    @Test
    void aRecentTokenLimitedToARoomShouldRoundTrip() {
        SearchToken token = SearchToken.afterRecent(1_700_000_000_123L, 77).inRoom("!room:example.org");
        assertThat(SearchToken.parse(token.encode())).isEqualTo(token);
        assertThat(token.encode()).doesNotContain("=").doesNotContain("+").doesNotContain("/");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "%%%", "1\n\nr\nNaN\n1", "1\n\nr\nInfinity\n1", "2\n\nt\n5\n1", "1\n\nx\n5\n1",
            "1\n\nt\n5", "1\nroom\nt\n5\n1", "1\n\nt\nfive\n1", "1\n\nt\n5\n1\n"})
    void malformedTokensShouldBeInvalidParam(String text) {
        String token = text.equals("%%%") ? text
                : Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> SearchToken.parse(token)).isInstanceOfSatisfying(MatrixException.class,
                e -> assertThat(e.errCode()).isEqualTo(ErrCode.M_INVALID_PARAM));
    }
}
