package org.myelin.federation.protocol.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The parser against the spec's schema: its own example, every wrong type (M_BAD_JSON) and bad value. */
class FilterParserTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** The request example of POST /user/{userId}/filter in the spec. */
    private static final String SPEC_EXAMPLE = """
            {"room": {"state": {"types": ["m.room.*"], "not_rooms": ["!726s6s6q:example.com"]},
                      "timeline": {"limit": 10, "types": ["m.room.message"], "not_rooms": ["!726s6s6q:example.com"],
                                   "not_senders": ["@spam:example.com"]},
                      "ephemeral": {"types": ["m.receipt", "m.typing"], "not_rooms": ["!726s6s6q:example.com"],
                                    "not_senders": ["@spam:example.com"]}},
             "presence": {"types": ["m.presence"], "not_senders": ["@alice:example.com"]},
             "event_format": "client", "event_fields": ["type", "content", "sender"]}""";

    @Test
    void theSpecExampleShouldParseIntoEveryPart() {
        Filter f = FilterParser.parse(MAPPER.readTree(SPEC_EXAMPLE));

        assertThat(f.eventFormat()).isEqualTo(EventFormat.CLIENT);
        assertThat(f.eventFields()).containsExactly("type", "content", "sender");
        assertThat(f.presence().types()).containsExactly("m.presence");
        assertThat(f.presence().matches("m.presence", "@alice:example.com")).isFalse();
        assertThat(f.presence().matches("m.presence", "@bob:example.com")).isTrue();
        assertThat(f.accountData()).isEqualTo(EventFilter.ALL);
        assertThat(f.room().state().matches("m.room.name", "@a:x", "!other:x", null)).isTrue();
        assertThat(f.room().state().matches("m.room.name", "@a:x", "!726s6s6q:example.com", null)).isFalse();
        assertThat(f.room().timeline().events().limit()).isEqualTo(10);
        assertThat(f.room().timeline().matches("m.room.message", "@spam:example.com", "!r:x", null)).isFalse();
        assertThat(f.room().ephemeral().matches("m.typing", "@bob:example.com", "!r:x", null)).isTrue();
        assertThat(f.room().accountData()).isEqualTo(RoomEventFilter.ALL);
    }

    @Test
    void anEmptyFilterShouldBeTheDefault() {
        assertThat(FilterParser.parse(MAPPER.readTree("{}"))).isEqualTo(Filter.DEFAULT);
        assertThat(FilterParser.parse(MAPPER.readTree("{\"room\":null,\"presence\":null,\"future_key\":1}")))
                .isEqualTo(Filter.DEFAULT);
    }

    @Test
    void eventFormatFederationShouldBeRead() {
        assertThat(FilterParser.parse(MAPPER.readTree("{\"event_format\":\"federation\"}")).eventFormat())
                .isEqualTo(EventFormat.FEDERATION);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "[]                                                   | M_BAD_JSON",
        "{'event_fields':'type'}                              | M_BAD_JSON",
        "{'event_fields':[1]}                                 | M_BAD_JSON",
        "{'event_format':1}                                   | M_BAD_JSON",
        "{'event_format':'xml'}                               | M_INVALID_PARAM",
        "{'presence':[]}                                      | M_BAD_JSON",
        "{'presence':{'limit':'10'}}                          | M_BAD_JSON",
        "{'presence':{'limit':1.5}}                           | M_BAD_JSON",
        "{'presence':{'limit':-1}}                            | M_INVALID_PARAM",
        "{'presence':{'types':'m.presence'}}                  | M_BAD_JSON",
        "{'presence':{'not_types':[true]}}                    | M_BAD_JSON",
        "{'presence':{'senders':['alice']}}                   | M_INVALID_PARAM",
        "{'presence':{'senders':['*']}}                       | M_INVALID_PARAM",
        "{'presence':{'not_senders':'@a:x'}}                  | M_BAD_JSON",
        "{'presence':{'not_senders':['nobody']}}              | M_INVALID_PARAM",
        "{'account_data':{'types':{}}}                        | M_BAD_JSON",
        "{'room':'all'}                                       | M_BAD_JSON",
        "{'room':{'rooms':'!r:x'}}                            | M_BAD_JSON",
        "{'room':{'rooms':['#alias:x']}}                      | M_INVALID_PARAM",
        "{'room':{'rooms':['*']}}                             | M_INVALID_PARAM",
        "{'room':{'not_rooms':['r:x']}}                       | M_INVALID_PARAM",
        "{'room':{'include_leave':'yes'}}                     | M_BAD_JSON",
        "{'room':{'timeline':[]}}                             | M_BAD_JSON",
        "{'room':{'timeline':{'limit':'5'}}}                  | M_BAD_JSON",
        "{'room':{'timeline':{'rooms':['!r']}}}               | M_INVALID_PARAM",
        "{'room':{'state':{'lazy_load_members':1}}}           | M_BAD_JSON",
        "{'room':{'state':{'include_redundant_members':'x'}}} | M_BAD_JSON",
        "{'room':{'timeline':{'unread_thread_notifications':0}}} | M_BAD_JSON",
        "{'room':{'ephemeral':{'contains_url':'true'}}}       | M_BAD_JSON",
        "{'room':{'account_data':{'not_rooms':[5]}}}          | M_BAD_JSON",
    })
    void malformedFiltersShouldBeRejectedWithTheRightErrcode(String json, String errcode) {
        JsonNode filter = MAPPER.readTree(json.replace('\'', '"'));

        assertThatThrownBy(() -> FilterParser.parse(filter)).isInstanceOfSatisfying(MatrixException.class, e -> {
            assertThat(e.errCode()).isEqualTo(ErrCode.valueOf(errcode));
            assertThat(e.status()).isEqualTo(400);
        });
    }

    @Test
    void denyListsShouldAcceptAWildcardAndV12RoomIds() {
        String v12 = "!" + "A".repeat(43);
        Filter f = FilterParser.parse(MAPPER.readTree(("{'room':{'not_rooms':['*'],'timeline':{'rooms':['" + v12
                + "'],'not_senders':['*']}}}").replace('\'', '"')));

        assertThat(f.room().blocksAllRooms()).isTrue();
        assertThat(f.room().timeline().rooms()).isEqualTo(List.of(v12));
        assertThat(f.room().timeline().blocksEverything()).isTrue();
    }

    @Test
    void parseRoomEventFilterShouldRejectANonObject() {
        assertThatThrownBy(() -> FilterParser.parseRoomEventFilter(MAPPER.readTree("\"x\"")))
                .isInstanceOfSatisfying(MatrixException.class,
                        e -> assertThat(e.errCode()).isEqualTo(ErrCode.M_BAD_JSON));
    }
}
