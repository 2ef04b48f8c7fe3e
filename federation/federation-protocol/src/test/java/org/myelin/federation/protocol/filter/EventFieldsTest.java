package org.myelin.federation.protocol.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.myelin.federation.protocol.SpecVectors;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Dot-separated property paths (with their escapes) and the event_fields projection. */
class EventFieldsTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private static final String EVENT = """
            {"type":"m.room.message","sender":"@a:x","event_id":"$e","origin_server_ts":1,
             "content":{"body":"hi","msgtype":"m.text","m.relates_to":{"rel_type":"m.thread","event_id":"$t"},
                        "m\\\\foo":"backslash","nested":{"deep":{"leaf":true}},"list":[1,2]},
             "unsigned":{"age":5}}""";

    static Stream<JsonNode> pathVectors() {
        JsonNode section = SpecVectors.load("appendices/identifiers.json").get("dot_separated_property_paths");
        return Stream.concat(SpecVectors.elements(section.get("published_examples"), "published path examples").stream(),
                SpecVectors.elements(section.get("derived_examples"), "derived path examples").stream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pathVectors")
    void splitShouldFollowSpecVectorWhenPathHasEscapes(JsonNode example) {
        List<String> expected = SpecVectors.elements(example.get("segments"), "segments").stream()
                .map(JsonNode::stringValue).toList();
        assertThat(EventFields.split(example.get("path").stringValue())).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "type                       | type",
        "content.body               | content,body",
        "content.m\\.relates_to     | content,m.relates_to",
        "content.m\\\\foo           | content,m\\foo",
        "content.m\\xfoo            | content,m\\xfoo",
        "a\\\\.b                    | a\\,b",
        "trailing\\                 | trailing\\",
        "a..b                       | a,,b",
    })
    void splitShouldResolveOnlyTheDotAndBackslashEscapes(String path, String segments) {
        assertThat(EventFields.split(path)).isEqualTo(Arrays.asList(segments.split(",", -1)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "type,sender                        | {'type':'m.room.message','sender':'@a:x'}",
        "content.body                       | {'content':{'body':'hi'}}",
        "content.body,content.msgtype       | {'content':{'body':'hi','msgtype':'m.text'}}",
        "content.m\\.relates_to.rel_type    | {'content':{'m.relates_to':{'rel_type':'m.thread'}}}",
        "content.m\\\\foo                   | {'content':{'m\\\\foo':'backslash'}}",
        "content.nested.deep.leaf           | {'content':{'nested':{'deep':{'leaf':true}}}}",
        "content.missing                    | {}",
        "content.body.more                  | {}",
        "content.list.0                     | {}",
        "nothing,type                       | {'type':'m.room.message'}",
        "content.body,content               | {'content':CONTENT}",
    })
    void applyShouldKeepOnlyTheListedPropertiesThatExist(String fields, String expected) {
        JsonNode event = MAPPER.readTree(EVENT);
        String want = expected.replace("CONTENT", event.get("content").toString()).replace('\'', '"');

        JsonNode projected = EventFields.of(List.of(fields.split(","))).apply(event);

        assertThat(projected).isEqualTo(MAPPER.readTree(want));
    }

    @Test
    void anEmptyOrAbsentListShouldKeepTheWholeEvent() {
        JsonNode event = MAPPER.readTree(EVENT);

        assertThat(EventFields.of(List.of()).apply(event)).isSameAs(event);
        assertThat(Filter.DEFAULT.projection().keepsEverything()).isTrue();
        assertThat(EventFields.ALL.apply(event)).isSameAs(event);
    }

    @Test
    void applyShouldNotShareNodesWithTheSourceEvent() {
        JsonNode event = MAPPER.readTree(EVENT);

        JsonNode projected = EventFields.of(List.of("content.nested")).apply(event);
        ((ObjectNode) projected.get("content").get("nested")).put("added", 1);

        assertThat(event.get("content").get("nested").has("added")).isFalse();
    }
}
