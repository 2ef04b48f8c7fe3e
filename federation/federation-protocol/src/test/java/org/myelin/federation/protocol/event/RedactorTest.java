package org.myelin.federation.protocol.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.myelin.federation.protocol.SpecVectors;
import org.myelin.federation.protocol.json.CanonicalJson;
import org.myelin.federation.protocol.json.CanonicalJson.Mode;
import org.myelin.federation.protocol.room.RoomVersion;
import org.myelin.federation.protocol.room.RoomVersion.RedactionAlgorithm;
import org.myelin.federation.protocol.room.RoomVersions;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class RedactorTest {

    private static final JsonNode VECTORS = SpecVectors.load("rooms/redaction.json");

    static Stream<Arguments> casesByAlgorithm() {
        return SpecVectors.elements(VECTORS.get("derived_cases"), "redaction cases").stream()
                .flatMap(testCase -> Stream.of(RedactionAlgorithm.values()).map(algorithm -> Arguments.of(
                        testCase.get("id").stringValue(), algorithm, testCase.get("input"),
                        testCase.get("expected_by_algorithm").get(algorithm.name().toLowerCase(Locale.ROOT)))));
    }

    @ParameterizedTest(name = "{0} under {1}")
    @MethodSource("casesByAlgorithm")
    void redactShouldMatchVectorWhenApplyingEachAlgorithm(String id, RedactionAlgorithm algorithm, JsonNode input,
                                                          JsonNode expected) {
        assertThat(expected).as("vector for %s", algorithm).isNotNull();
        String before = SpecVectors.canonical(input);
        assertThat(SpecVectors.canonical(Redactor.redact(input, algorithm))).isEqualTo(SpecVectors.canonical(expected));
        assertThat(SpecVectors.canonical(input)).as("input untouched").isEqualTo(before);
    }

    @Test
    void roomVersionsShouldUseTheAlgorithmTheSpecTableNames() {
        JsonNode table = VECTORS.get("room_version_to_algorithm");
        assertThat(table.size()).isEqualTo(RoomVersions.all().size());
        for (Map.Entry<String, RoomVersion> version : RoomVersions.all().entrySet()) {
            assertThat(version.getValue().redaction().name().toLowerCase(Locale.ROOT))
                    .as("room v%s", version.getKey()).isEqualTo(table.get(version.getKey()).stringValue());
        }
    }

    @ParameterizedTest
    @EnumSource(RedactionAlgorithm.class)
    void redactShouldOutputEmptyContentWhenEventHasNoContent(RedactionAlgorithm algorithm) {
        JsonNode event = CanonicalJson.parse("{\"type\":\"X\",\"room_id\":\"!r:domain\",\"unsigned\":{}}", Mode.STRICT);
        ObjectNode redacted = Redactor.redact(event, algorithm);
        assertThat(SpecVectors.canonical(redacted)).isEqualTo("{\"content\":{},\"room_id\":\"!r:domain\",\"type\":\"X\"}");
    }

    @Test
    void redactShouldDropThirdPartyInviteWhenItHasNoSignedKey() {
        JsonNode event = CanonicalJson.parse("{\"type\":\"m.room.member\",\"content\":{\"membership\":\"invite\","
                + "\"third_party_invite\":{\"display_name\":\"x\"}}}", Mode.STRICT);
        assertThat(SpecVectors.canonical(Redactor.redact(event, RoomVersions.V11)))
                .isEqualTo("{\"content\":{\"membership\":\"invite\"},\"type\":\"m.room.member\"}");
    }
}
