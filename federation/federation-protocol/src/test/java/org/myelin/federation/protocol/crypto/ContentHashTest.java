package org.myelin.federation.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.myelin.federation.protocol.SpecVectors;
import org.myelin.federation.protocol.json.CanonicalJson;
import org.myelin.federation.protocol.json.CanonicalJson.Mode;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class ContentHashTest {

    static Stream<JsonNode> eventSigningVectors() {
        return SpecVectors.elements(SpecVectors.load("appendices/signing.json").get("event_signing"), "event vectors").stream();
    }

    @ParameterizedTest
    @MethodSource("eventSigningVectors")
    void computeShouldMatchSpecHashWhenEventHasUnsignedAndEmptyHashes(JsonNode vector) {
        JsonNode input = CanonicalJson.parse(vector.get("input_text").stringValue(), Mode.LENIENT);
        assertThat(ContentHash.computeBase64(input, Mode.LENIENT))
                .isEqualTo(vector.get("expected_content_hash_sha256").stringValue());
    }

    @ParameterizedTest
    @MethodSource("eventSigningVectors")
    void matchesShouldBeTrueOnlyWhileContentIsUnchanged(JsonNode vector) {
        ObjectNode signed = (ObjectNode) vector.get("expected_signed").deepCopy();
        assertThat(ContentHash.matches(signed, Mode.STRICT)).isTrue();
        signed.withObjectProperty("content").put("body", "changed");
        assertThat(ContentHash.matches(signed, Mode.STRICT)).isFalse();
        signed.remove("hashes");
        assertThat(ContentHash.matches(signed, Mode.STRICT)).isFalse();
    }

    @Test
    void referenceHashShouldMatchDerivedHexWhenEventIsAlreadyRedacted() {
        JsonNode vector = SpecVectors.load("derived/derived_signing_vectors.json").get("event_id_encoding_v3_vs_v4");
        byte[] hash = ReferenceHash.compute(vector.get("event_with_hashes"), Mode.STRICT);
        assertThat(HexFormat.of().formatHex(hash)).isEqualTo(vector.get("reference_hash_hex").stringValue());
    }
}
