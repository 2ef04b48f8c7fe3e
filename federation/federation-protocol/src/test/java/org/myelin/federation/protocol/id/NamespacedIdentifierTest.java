package org.myelin.federation.protocol.id;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.myelin.federation.protocol.SpecVectors;

import tools.jackson.databind.JsonNode;

/** The Common Namespaced Identifier Grammar against the spec vectors and its edges. */
class NamespacedIdentifierTest {

    static Stream<JsonNode> derivedCases() {
        return SpecVectors.elements(SpecVectors.load("appendices/identifiers.json")
                .get("common_namespaced_identifier").get("derived_cases"), "namespaced identifier cases").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("derivedCases")
    void isValidShouldFollowSpecVector(JsonNode testCase) {
        assertThat(NamespacedIdentifier.isValid(testCase.get("value").stringValue()))
                .isEqualTo(testCase.get("valid").booleanValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "org.example-thing_2", "m.", "a..b", "z9"})
    void isValidShouldAcceptWhenOnlyGrammarCharactersFollowALowercaseStart(String value) {
        assertThat(NamespacedIdentifier.isValid(value)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {".a", "-a", "_a", "a b", "a:b", "a/b", "aé", "com.Example"})
    void isValidShouldRejectWhenStartOrACharacterIsOutsideTheGrammar(String value) {
        assertThat(NamespacedIdentifier.isValid(value)).isFalse();
    }

    @Test
    void isValidShouldRejectWhenLongerThan255CharactersOrNull() {
        assertThat(NamespacedIdentifier.isValid("a".repeat(255))).isTrue();
        assertThat(NamespacedIdentifier.isValid("a".repeat(256))).isFalse();
        assertThat(NamespacedIdentifier.isValid(null)).isFalse();
    }
}
