package org.myelin.room.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.RoomAlias;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class CanonicalAliasesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void addedShouldListANewAliasAndNewAltAliasesOnly() {
        JsonNode previous = json("{\"alias\":\"#a:hs\",\"alt_aliases\":[\"#b:hs\"]}");
        assertThat(names(CanonicalAliases.added(json("{\"alias\":\"#a:hs\",\"alt_aliases\":[\"#b:hs\",\"#c:hs\"]}"),
                previous))).containsExactly("#c:hs");
        assertThat(names(CanonicalAliases.added(json("{\"alias\":\"#d:hs\"}"), previous))).containsExactly("#d:hs");
        assertThat(CanonicalAliases.added(json("{}"), previous)).isEmpty();
    }

    @Test
    void addedShouldTreatNullOrEmptyAliasAsNone() {
        JsonNode empty = json("{}");
        assertThat(CanonicalAliases.added(json("{\"alias\":null}"), empty)).isEmpty();
        assertThat(CanonicalAliases.added(json("{\"alias\":\"\"}"), empty)).isEmpty();
    }

    @Test
    void addedShouldRejectMalformedContentWithInvalidParam() {
        JsonNode empty = json("{}");
        for (String content : List.of("{\"alias\":5}", "{\"alias\":\"nohash:hs\"}", "{\"alt_aliases\":\"#a:hs\"}",
                "{\"alt_aliases\":[1]}", "{\"alt_aliases\":[\"#missing-server\"]}")) {
            assertThatThrownBy(() -> CanonicalAliases.added(json(content), empty)).as(content)
                    .isInstanceOfSatisfying(MatrixException.class,
                            e -> assertThat(e.errCode()).isEqualTo(ErrCode.M_INVALID_PARAM));
        }
    }

    @Test
    void addedShouldCheckEveryAltAliasWhenThePreviousListWasMalformed() {
        assertThat(names(CanonicalAliases.added(json("{\"alt_aliases\":[\"#b:hs\"]}"),
                json("{\"alt_aliases\":\"#b:hs\"}")))).containsExactly("#b:hs");
    }

    @Test
    void withoutShouldDropTheAliasFromBothFieldsOrReportNoChange() {
        ObjectNode content = (ObjectNode) json("{\"alias\":\"#a:hs\",\"alt_aliases\":[\"#a:hs\",\"#b:hs\"],\"x\":1}");
        assertThat(CanonicalAliases.without(content, "#a:hs"))
                .isEqualTo(json("{\"alt_aliases\":[\"#b:hs\"],\"x\":1}"));
        assertThat(CanonicalAliases.without(content, "#b:hs"))
                .isEqualTo(json("{\"alias\":\"#a:hs\",\"alt_aliases\":[\"#a:hs\"],\"x\":1}"));
        assertThat(CanonicalAliases.without(content, "#z:hs")).isNull();
    }

    private static List<String> names(List<RoomAlias> aliases) {
        return aliases.stream().map(RoomAlias::toString).toList();
    }

    private static JsonNode json(String text) {
        return JSON.readTree(text);
    }
}
