package org.myelin.federation.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.myelin.federation.protocol.SpecTestKey;
import org.myelin.federation.protocol.SpecVectors;
import org.myelin.federation.protocol.error.MatrixException;

import tools.jackson.databind.JsonNode;

class UnpaddedBase64Test {

    private static final JsonNode VECTORS = SpecVectors.load("appendices/unpadded_base64.json");

    static Stream<JsonNode> publishedCases() {
        return SpecVectors.elements(VECTORS.get("published_cases"), "base64 cases").stream();
    }

    @ParameterizedTest
    @MethodSource("publishedCases")
    void encodeAndDecodeShouldMatchSpecExamples(JsonNode testCase) {
        byte[] input = testCase.get("input_utf8").stringValue().getBytes(StandardCharsets.UTF_8);
        String expected = testCase.get("expected").stringValue();
        assertThat(UnpaddedBase64.encode(input)).isEqualTo(expected);
        assertThat(UnpaddedBase64.decode(expected)).isEqualTo(input);
    }

    @Test
    void encodeShouldUseUrlSafeAlphabetOnlyWhenAskedTo() {
        JsonNode alphabet = VECTORS.get("derived_cases").get(0);
        byte[] input = HexFormat.of().parseHex(alphabet.get("input_hex").stringValue());
        assertThat(UnpaddedBase64.encode(input)).isEqualTo(alphabet.get("standard").stringValue());
        assertThat(UnpaddedBase64.encodeUrlSafe(input)).isEqualTo(alphabet.get("url_safe").stringValue());
        assertThat(UnpaddedBase64.decodeUrlSafe(alphabet.get("url_safe").stringValue())).isEqualTo(input);
    }

    @Test
    void decodeShouldAcceptPaddingWhenSenderAddedIt() {
        JsonNode padded = VECTORS.get("derived_cases").get(1);
        assertThat(UnpaddedBase64.decode(padded.get("input_text_with_padding").stringValue()))
                .isEqualTo(padded.get("decodes_to_utf8").stringValue().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void decodeShouldIgnoreNonZeroTrailingBitsWhenDecodingTheSpecSeed() {
        JsonNode key = SpecVectors.load("appendices/signing.json").get("signing_key");
        byte[] seed = UnpaddedBase64.decode(key.get("seed_base64_as_published").stringValue());
        assertThat(HexFormat.of().formatHex(seed)).isEqualTo(key.get("seed_hex").stringValue()).isEqualTo(SpecTestKey.SEED_HEX);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Z", "Zm9v!", "-_8", "Zm 9v"})
    void decodeShouldRejectWhenTextIsNotStandardBase64(String text) {
        assertThat(UnpaddedBase64.tryDecode(text)).isEmpty();
        assertThatThrownBy(() -> UnpaddedBase64.decode(text)).isInstanceOf(MatrixException.class);
    }
}
