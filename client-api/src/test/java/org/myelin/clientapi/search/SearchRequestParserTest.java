package org.myelin.clientapi.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;


import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.search.SearchKey;
import org.myelin.federation.protocol.search.SearchToken;
import org.myelin.room.api.SearchRequest;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The criteria of POST /search: the spec's defaults, every field read, and each kind of bad input. */
class SearchRequestParserTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    @Test
    void aBareTermShouldTakeTheSpecDefaults() {
        SearchRequestParser.Parsed parsed = parse("{\"search_categories\":{\"room_events\":{\"search_term\":\"x\"}}}",
                null);
        SearchRequest request = parsed.request();
        assertThat(request.term()).isEqualTo("x");
        assertThat(request.keys()).containsExactly(SearchKey.BODY, SearchKey.NAME, SearchKey.TOPIC);
        assertThat(request.byRank()).isTrue();
        assertThat(request.limit()).isEqualTo(SearchRequestParser.DEFAULT_LIMIT);
        assertThat(request.context()).isNull();
        assertThat(request.includeState()).isFalse();
        assertThat(request.from()).isNull();
        assertThat(parsed.groupBy()).isEmpty();
    }

    @Test
    void everyFieldShouldBeRead() {
        String next = SearchToken.afterRecent(5, 7).inRoom("!r:x").encode();
        SearchRequestParser.Parsed parsed = parse("""
                {"search_categories":{"room_events":{"search_term":"x","keys":["content.topic","content.topic"],
                 "order_by":"recent","filter":{"limit":500,"rooms":["!r:x"]},"include_state":true,
                 "event_context":{"before_limit":2,"after_limit":1000,"include_profile":true},
                 "groupings":{"group_by":[{"key":"sender"},{"key":"room_id"}]}}}}""", next);
        SearchRequest request = parsed.request();
        assertThat(request.keys()).containsExactly(SearchKey.TOPIC);
        assertThat(request.byRank()).isFalse();
        assertThat(request.limit()).isEqualTo(SearchRequestParser.MAX_LIMIT);
        assertThat(request.filter().rooms()).containsExactly("!r:x");
        assertThat(request.includeState()).isTrue();
        assertThat(request.context()).isEqualTo(new SearchRequest.ContextRequest(2, SearchRequestParser.MAX_LIMIT,
                true));
        assertThat(request.from()).isEqualTo(SearchToken.afterRecent(5, 7).inRoom("!r:x"));
        assertThat(parsed.groupBy()).containsExactly("sender", "room_id");
        assertThat(parse("{\"search_categories\":{\"room_events\":{\"search_term\":\"x\",\"event_context\":{}}}}",
                null).request().context()).isEqualTo(new SearchRequest.ContextRequest(5, 5, false));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @CsvSource(delimiter = '|', value = {
            "{}|M_MISSING_PARAM",
            "{\"search_categories\":[]}|M_BAD_JSON",
            "{\"search_categories\":{}}|M_MISSING_PARAM",
            "{\"search_categories\":{\"room_events\":{\"search_term\":\"x\"},\"people\":{}}}|M_INVALID_PARAM",
            "{\"search_categories\":{\"room_events\":5}}|M_BAD_JSON",
            "{\"search_categories\":{\"room_events\":{}}}|M_MISSING_PARAM",
            "{\"search_categories\":{\"room_events\":{\"search_term\":[]}}}|M_BAD_JSON",
            "{\"search_categories\":{\"room_events\":{\"search_term\":\"x\",\"order_by\":\"best\"}}}|M_INVALID_PARAM",
            "{\"search_categories\":{\"room_events\":{\"search_term\":\"x\",\"order_by\":1}}}|M_BAD_JSON",
            "{\"search_categories\":{\"room_events\":{\"search_term\":\"x\",\"keys\":[]}}}|M_INVALID_PARAM",
            "{\"search_categories\":{\"room_events\":{\"search_term\":\"x\",\"keys\":[1]}}}|M_BAD_JSON",
            "{\"search_categories\":{\"room_events\":{\"search_term\":\"x\",\"keys\":[\"content.url\"]}}}|M_INVALID_PARAM",
            "{\"search_categories\":{\"room_events\":{\"search_term\":\"x\",\"filter\":{\"limit\":-1}}}}|M_INVALID_PARAM",
            "{\"search_categories\":{\"room_events\":{\"search_term\":\"x\",\"include_state\":\"yes\"}}}|M_BAD_JSON",
            "{\"search_categories\":{\"room_events\":{\"search_term\":\"x\",\"event_context\":{\"before_limit\":1.5}}}}|M_BAD_JSON",
            "{\"search_categories\":{\"room_events\":{\"search_term\":\"x\",\"event_context\":{\"after_limit\":-2}}}}|M_INVALID_PARAM",
            "{\"search_categories\":{\"room_events\":{\"search_term\":\"x\",\"groupings\":{\"group_by\":{}}}}}|M_BAD_JSON",
            "{\"search_categories\":{\"room_events\":{\"search_term\":\"x\",\"groupings\":{\"group_by\":[5]}}}}|M_BAD_JSON",
            "{\"search_categories\":{\"room_events\":{\"search_term\":\"x\",\"groupings\":{\"group_by\":[{}]}}}}|M_MISSING_PARAM",
            "{\"search_categories\":{\"room_events\":{\"search_term\":\"x\",\"groupings\":{\"group_by\":[{\"key\":\"type\"}]}}}}|M_INVALID_PARAM"})
    void badCriteriaShouldBeMatrixErrors(String body, ErrCode errCode) {
        assertThatThrownBy(() -> parse(body, null)).isInstanceOfSatisfying(MatrixException.class,
                e -> assertThat(e.errCode()).isEqualTo(errCode));
    }

    @Test
    void aTokenOfTheOtherOrderShouldBeInvalid() {
        String rankToken = SearchToken.afterRank(0.5f, 3).encode();
        assertThatThrownBy(() -> parse("""
                {"search_categories":{"room_events":{"search_term":"x","order_by":"recent"}}}""", rankToken))
                .isInstanceOfSatisfying(MatrixException.class,
                        e -> assertThat(e.errCode()).isEqualTo(ErrCode.M_INVALID_PARAM));
        assertThat(parse("{\"search_categories\":{\"room_events\":{\"search_term\":\"x\"}}}", rankToken).request()
                .from().rank()).isEqualTo(0.5f);
    }

    private static SearchRequestParser.Parsed parse(String body, String nextBatch) {
        JsonNode json = MAPPER.readTree(body);
        return SearchRequestParser.parse(json, nextBatch);
    }
}
