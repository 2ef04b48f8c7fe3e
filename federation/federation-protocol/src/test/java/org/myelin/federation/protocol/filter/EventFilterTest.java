package org.myelin.federation.protocol.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.myelin.federation.protocol.SpecVectors;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** EventFilter matching: every field, allowed and excluded, with not_* winning and {@code *} wildcards on types. */
class EventFilterTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    @ParameterizedTest(name = "{0} with type {1}, sender {2} -> {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "{}                                               | m.room.message | @a:x | true",
        "{'types':['m.room.message']}                     | m.room.message | @a:x | true",
        "{'types':['m.room.message']}                     | m.room.member  | @a:x | false",
        "{'types':[]}                                     | m.room.message | @a:x | false",
        "{'types':['m.room.*']}                           | m.room.topic   | @a:x | true",
        "{'types':['m.room.*']}                           | m.room.        | @a:x | true",
        "{'types':['m.room.*']}                           | m.roomy        | @a:x | false",
        "{'types':['*']}                                  | anything       | @a:x | true",
        "{'types':['m.*.message']}                        | m.room.message | @a:x | true",
        "{'types':['m.*.message']}                        | m.room.member  | @a:x | false",
        "{'types':['*.typing']}                           | m.typing       | @a:x | true",
        "{'types':['m.typing*']}                          | m.typing       | @a:x | true",
        "{'types':['m.ty*ing*']}                          | m.tying        | @a:x | true",
        "{'types':['m.room.message']}                     | m_room_message | @a:x | false",
        "{'not_types':['m.room.member']}                  | m.room.member  | @a:x | false",
        "{'not_types':['m.room.member']}                  | m.room.message | @a:x | true",
        "{'not_types':['*']}                              | m.room.message | @a:x | false",
        "{'not_types':['m.room.*']}                       | m.room.message | @a:x | false",
        "{'types':['m.room.*'],'not_types':['m.room.member']}  | m.room.member  | @a:x | false",
        "{'types':['m.room.member'],'not_types':['m.room.*']}  | m.room.member  | @a:x | false",
        "{'senders':['@a:x']}                             | m.room.message | @a:x | true",
        "{'senders':['@a:x']}                             | m.room.message | @b:x | false",
        "{'senders':[]}                                   | m.room.message | @a:x | false",
        "{'not_senders':['@a:x']}                         | m.room.message | @a:x | false",
        "{'not_senders':['@a:x']}                         | m.room.message | @b:x | true",
        "{'senders':['@a:x'],'not_senders':['@a:x']}      | m.room.message | @a:x | false",
        "{'not_senders':['*']}                            | m.room.message | @a:x | false",
        "{'senders':['@*:x']}                             | m.room.message | @a:x | false",
        "{'types':['m.room.message'],'senders':['@a:x']}  | m.room.message | @b:x | false",
        "{'limit':5}                                      | m.room.message | @a:x | true",
    })
    void matchesShouldApplyTypesAndSendersWithExclusionsWinning(String json, String type, String sender,
            boolean expected) {
        EventFilter filter = parse(json);

        assertThat(filter.matches(type, sender)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}: blocks everything = {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "{}                          | false",
        "{'types':[]}                | true",
        "{'not_types':['*']}         | true",
        "{'not_types':['m.*']}       | false",
        "{'senders':[]}              | true",
        "{'not_senders':['*']}       | true",
        "{'not_senders':['@a:x']}    | false",
    })
    void blocksEverythingShouldSpotFiltersNothingCanPass(String json, boolean expected) {
        assertThat(parse(json).blocksEverything()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}: limit {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "{}                  | 10",
        "{'limit':5}         | 5",
        "{'limit':0}         | 0",
        "{'limit':500}       | 100",
        "{'limit':99999999999} | 100",
    })
    void limitOrShouldUseTheDefaultWhenAbsentAndNeverExceedTheMaximum(String json, int expected) {
        assertThat(parse(json).limitOr(10, 100)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} ~ {1} -> {2}")
    @CsvSource({
        "'',      '',       true",
        "*,       '',       true",
        "a*,      a,        true",
        "*a,      ba,       true",
        "*a,      ab,       false",
        "a*b*c,   aXbYc,    true",
        "a*b*c,   aXcYb,    false",
        "**,      x,        true",
        "abc,     abcd,     false",
        "abc*,    ab,       false",
    })
    void wildcardShouldMatchAnySequenceOfCharacters(String pattern, String value, boolean expected) {
        assertThat(EventFilter.wildcardMatches(pattern, value)).isEqualTo(expected);
    }

    /**
     * The appendix glob cases that apply to filters. The filter schema defines only {@code *} ("a wildcard to match
     * any sequence of characters"), not the appendix's {@code ?}, so cases using {@code ?} are left out here.
     */
    static Stream<JsonNode> starOnlyGlobCases() {
        List<JsonNode> all = SpecVectors.elements(
                SpecVectors.load("appendices/identifiers.json").get("glob").get("derived_cases"), "glob cases");
        List<JsonNode> starOnly = all.stream().filter(c -> !c.get("pattern").stringValue().contains("?")).toList();
        assertThat(starOnly).as("glob cases without '?'").isNotEmpty();
        return starOnly.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("starOnlyGlobCases")
    void wildcardShouldFollowSpecGlobVectorWhenPatternUsesOnlyStar(JsonNode testCase) {
        String pattern = testCase.get("pattern").stringValue();
        String value = testCase.get("value").stringValue();
        boolean expected = testCase.get("match").booleanValue();
        assertThat(EventFilter.wildcardMatches(pattern, value)).isEqualTo(expected);
        EventFilter filter = new EventFilter(null, List.of(pattern), null, null, null);
        assertThat(filter.allowsType(value)).isEqualTo(expected);
    }

    @Test
    void wildcardShouldTreatQuestionMarkLiterallyBecauseFiltersDefineOnlyStar() {
        assertThat(EventFilter.wildcardMatches("m?trix", "matrix")).isFalse();
        assertThat(EventFilter.wildcardMatches("m?trix", "m?trix")).isTrue();
    }

    private static EventFilter parse(String json) {
        return FilterParser.parse(MAPPER.readTree(("{'presence':" + json + "}").replace('\'', '"'))).presence();
    }
}
