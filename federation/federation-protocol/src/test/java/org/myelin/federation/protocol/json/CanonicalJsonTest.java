package org.myelin.federation.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.myelin.federation.protocol.SpecVectors;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.json.CanonicalJson.Mode;
import org.myelin.federation.protocol.room.RoomVersions;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class CanonicalJsonTest {

    private static final JsonNode VECTORS = SpecVectors.load("appendices/canonical_json.json");

    static Stream<JsonNode> acceptedCases() {
        return Stream.concat(SpecVectors.elements(VECTORS.get("published_cases"), "published cases").stream(),
                SpecVectors.elements(VECTORS.get("derived_cases"), "derived cases").stream())
                .filter(c -> !c.has("expected"));
    }

    static Stream<JsonNode> rejectedCases() {
        List<JsonNode> rejected = SpecVectors.elements(VECTORS.get("derived_cases"), "derived cases").stream()
                .filter(c -> c.path("expected").stringValue("").equals("reject")).toList();
        assertThat(rejected).hasSize(3);
        return rejected.stream();
    }

    @ParameterizedTest
    @MethodSource("acceptedCases")
    void encodeShouldMatchVectorBytesWhenInputIsParsedInEitherMode(JsonNode testCase) {
        byte[] expected = HexFormat.of().parseHex(testCase.get("expected_utf8_hex").stringValue());
        assertThat(new String(expected, StandardCharsets.UTF_8)).isEqualTo(testCase.get("expected_canonical").stringValue());
        for (Mode mode : Mode.values()) {
            JsonNode parsed = CanonicalJson.parse(testCase.get("input_text").stringValue(), mode);
            assertThat(CanonicalJson.encode(parsed, mode)).as("%s in %s mode", testCase.get("id"), mode).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @MethodSource("rejectedCases")
    void parseShouldRejectWithBadJsonWhenStrictModeSeesFloatOrUnsafeInteger(JsonNode testCase) {
        assertThatThrownBy(() -> CanonicalJson.parse(testCase.get("input_text").stringValue(), Mode.STRICT))
                .isInstanceOfSatisfying(MatrixException.class, e -> assertThat(e.errCode()).isEqualTo(ErrCode.M_BAD_JSON));
    }

    @Test
    void lenientModeShouldKeepValuesWhenRoomV1To5JsonIsNotCanonical() {
        assertThat(roundTrip("{\"a\":9007199254740992}", Mode.LENIENT)).isEqualTo("{\"a\":9007199254740992}");
        assertThat(roundTrip("{\"a\":1.5,\"b\":2.50,\"c\":3.0}", Mode.LENIENT)).isEqualTo("{\"a\":1.5,\"b\":2.5,\"c\":3}");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void parseShouldRejectWhenObjectHasDuplicateKeys(Mode mode) {
        assertThatThrownBy(() -> CanonicalJson.parse("{\"a\":1,\"b\":{\"c\":1,\"c\":2}}", mode))
                .isInstanceOfSatisfying(MatrixException.class, e -> assertThat(e.errCode()).isEqualTo(ErrCode.M_BAD_JSON));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "{\"a\":1} x", "{'a':1}", "{\"a\":NaN}", "[1,]"})
    void parseShouldRejectWithNotJsonWhenTextIsNotJson(String text) {
        assertThatThrownBy(() -> CanonicalJson.parse(text, Mode.LENIENT))
                .isInstanceOfSatisfying(MatrixException.class, e -> assertThat(e.errCode()).isEqualTo(ErrCode.M_NOT_JSON));
    }

    @Test
    void encodeShouldOrderKeysByCodePointWhenUtf16OrderDiffers() {
        // U+FFFD sorts before U+1F600 by code point, but after its surrogate U+D83D in UTF-16.
        String json = "{\"\uD83D\uDE00\":1,\"\uFFFD\":2}";
        assertThat(roundTrip(json, Mode.STRICT)).isEqualTo("{\"\uFFFD\":2,\"\uD83D\uDE00\":1}");
    }

    @Test
    void encodeShouldRejectWhenStringHasUnpairedSurrogate() {
        JsonNode parsed = CanonicalJson.parse("{\"a\":\"\\ud800\"}", Mode.LENIENT);
        assertThatThrownBy(() -> CanonicalJson.encode(parsed)).isInstanceOf(MatrixException.class);
    }

    @Test
    void encodeShouldNormaliseNumbersWhenTreeWasBuiltInCode() {
        ObjectNode tree = JsonNodeFactory.instance.objectNode();
        tree.put("d", 1e10).put("z", -0.0).put("f", 2.5f);
        assertThat(CanonicalJson.encodeToString(tree, Mode.LENIENT)).isEqualTo("{\"d\":10000000000,\"f\":2.5,\"z\":0}");
        assertThatThrownBy(() -> CanonicalJson.encode(tree)).isInstanceOf(MatrixException.class);
    }

    @Test
    void parseShouldGiveIntegerNodesWhenNumbersAreIntegralInAnyNotation() {
        JsonNode parsed = CanonicalJson.parse("{\"a\":1e2,\"b\":-0,\"c\":4.000}", Mode.STRICT);
        assertThat(parsed.get("a").isIntegralNumber()).isTrue();
        assertThat(parsed.get("a").longValue()).isEqualTo(100);
        assertThat(parsed.get("b").longValue()).isZero();
        assertThat(parsed.get("c").longValue()).isEqualTo(4);
    }

    @Test
    void parseShouldRejectWhenExponentIsHuge() {
        assertThatThrownBy(() -> CanonicalJson.parse("{\"a\":1e999999999}", Mode.LENIENT)).isInstanceOf(MatrixException.class);
    }

    @Test
    void modeOfShouldBeStrictWhenRoomVersionIsSixOrLater() {
        assertThat(Mode.of(RoomVersions.V5)).isEqualTo(Mode.LENIENT);
        assertThat(Mode.of(RoomVersions.V6)).isEqualTo(Mode.STRICT);
        assertThat(Mode.of(RoomVersions.V12)).isEqualTo(Mode.STRICT);
    }

    @Test
    void parseObjectShouldRejectWhenTopLevelIsNotAnObject() {
        assertThatThrownBy(() -> CanonicalJson.parseObject("[]".getBytes(StandardCharsets.UTF_8), Mode.STRICT))
                .isInstanceOfSatisfying(MatrixException.class, e -> assertThat(e.errCode()).isEqualTo(ErrCode.M_BAD_JSON));
    }

    private static String roundTrip(String json, Mode mode) {
        return CanonicalJson.encodeToString(CanonicalJson.parse(json, mode), mode);
    }
}
