package org.myelin.federation.protocol.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;

class SearchKeyTest {

    @Test
    void eachSearchableTypeShouldNameItsField() {
        assertThat(SearchKey.forEventType("m.room.message")).contains(SearchKey.BODY);
        assertThat(SearchKey.forEventType("m.room.name")).contains(SearchKey.NAME);
        assertThat(SearchKey.forEventType("m.room.topic")).contains(SearchKey.TOPIC);
        assertThat(SearchKey.forEventType("m.room.member")).isEmpty();
        assertThat(SearchKey.TOPIC.contentField()).isEqualTo("topic");
    }

    @Test
    void keysShouldParseOnlyTheSpecValues() {
        assertThat(SearchKey.parse("content.name")).isEqualTo(SearchKey.NAME);
        assertThatThrownBy(() -> SearchKey.parse("content.msgtype")).isInstanceOfSatisfying(MatrixException.class,
                e -> assertThat(e.errCode()).isEqualTo(ErrCode.M_INVALID_PARAM));
    }
}
