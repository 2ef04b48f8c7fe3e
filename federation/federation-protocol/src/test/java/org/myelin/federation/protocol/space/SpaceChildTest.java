package org.myelin.federation.protocol.space;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Which m.space.child events make a room part of a space, and the spec's ordering of children. */
class SpaceChildTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static JsonNode child(String roomId, String content, long ts) {
        return JSON.readTree("""
                {"type":"m.space.child","state_key":"%s","sender":"@a:x.org","origin_server_ts":%d,"content":%s}"""
                .formatted(roomId, ts, content));
    }

    @Test
    void aChildNeedsANonEmptyViaOfServerNames() {
        assertThat(SpaceChild.of(child("!a:x.org", "{\"via\":[\"x.org\"]}", 1))).isPresent();
        assertThat(SpaceChild.of(child("!a:x.org", "{}", 1))).isEmpty();
        assertThat(SpaceChild.of(child("!a:x.org", "{\"via\":[]}", 1))).isEmpty();
        assertThat(SpaceChild.of(child("!a:x.org", "{\"via\":\"x.org\"}", 1))).isEmpty();
        assertThat(SpaceChild.of(child("!a:x.org", "{\"via\":[\"x.org\", 3]}", 1))).isEmpty();
        assertThat(SpaceChild.of(child("!a:x.org", "{\"via\":[\"\"]}", 1))).isEmpty();
    }

    @Test
    void theStateKeyMustBeARoomIdAndTheTypeMSpaceChild() {
        assertThat(SpaceChild.of(child("#alias:x.org", "{\"via\":[\"x.org\"]}", 1))).isEmpty();
        assertThat(SpaceChild.of(child("", "{\"via\":[\"x.org\"]}", 1))).isEmpty();
        JsonNode parent = JSON.readTree("""
                {"type":"m.space.parent","state_key":"!a:x.org","sender":"@a:x.org","content":{"via":["x.org"]}}""");
        assertThat(SpaceChild.of(parent)).isEmpty();
    }

    @Test
    void suggestedIsOnlyTheBooleanTrue() {
        assertThat(SpaceChild.of(child("!a:x.org", "{\"via\":[\"x.org\"],\"suggested\":true}", 1)).orElseThrow()
                .suggested()).isTrue();
        assertThat(SpaceChild.of(child("!a:x.org", "{\"via\":[\"x.org\"],\"suggested\":\"true\"}", 1)).orElseThrow()
                .suggested()).isFalse();
        assertThat(SpaceChild.of(child("!a:x.org", "{\"via\":[\"x.org\"]}", 1)).orElseThrow().suggested()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"\"", "3", "\"tab\\there\"", "\"é\"",
            "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\""})
    void anInvalidOrderCountsAsNoOrder(String order) {
        SpaceChild parsed = SpaceChild.of(child("!a:x.org", "{\"via\":[\"x.org\"],\"order\":" + order + "}", 1))
                .orElseThrow();
        assertThat(parsed.order()).isNull();
    }

    @Test
    void fiftyPrintableAsciiCharactersAreAValidOrder() {
        String order = " ~".repeat(25);
        assertThat(SpaceChild.of(child("!a:x.org", "{\"via\":[\"x.org\"],\"order\":\"" + order + "\"}", 1))
                .orElseThrow().order()).isEqualTo(order);
    }

    @Test
    void childrenAreOrderedByOrderThenTimestampThenRoomId() {
        List<SpaceChild> ordered = SpaceChild.ordered(List.of(
                child("!late:x.org", "{\"via\":[\"x.org\"]}", 30),
                child("!b:x.org", "{\"via\":[\"x.org\"]}", 10),
                child("!a:x.org", "{\"via\":[\"x.org\"]}", 10),
                child("!z:x.org", "{\"via\":[\"x.org\"],\"order\":\"a\"}", 99),
                child("!y:x.org", "{\"via\":[\"x.org\"],\"order\":\"B\"}", 99),
                child("!gone:x.org", "{}", 1)));
        assertThat(ordered).extracting(SpaceChild::roomId)
                .containsExactly("!y:x.org", "!z:x.org", "!a:x.org", "!b:x.org", "!late:x.org");
    }

    @Test
    void theStrippedStateKeepsTheContentSenderAndTimestamp() {
        SpaceChild parsed = SpaceChild.of(child("!a:x.org", "{\"via\":[\"x.org\"],\"custom\":1}", 42)).orElseThrow();
        assertThat(parsed.toStrippedState().toString()).isEqualTo("{\"type\":\"m.space.child\",\"state_key\":"
                + "\"!a:x.org\",\"content\":{\"via\":[\"x.org\"],\"custom\":1},\"sender\":\"@a:x.org\","
                + "\"origin_server_ts\":42}");
    }
}
