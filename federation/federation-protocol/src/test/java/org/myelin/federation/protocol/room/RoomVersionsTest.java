package org.myelin.federation.protocol.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.myelin.federation.protocol.SpecVectors;

import tools.jackson.databind.JsonNode;

/** The room version grammar (rooms, "Room version grammar") against the spec vectors. */
class RoomVersionsTest {

    private static final JsonNode GRAMMAR = SpecVectors.load("appendices/identifiers.json").get("room_version_string");

    static Stream<String> publishedValid() {
        return SpecVectors.elements(GRAMMAR.get("published_valid"), "published room versions").stream()
                .map(JsonNode::stringValue);
    }

    @ParameterizedTest
    @MethodSource("publishedValid")
    void isValidVersionStringShouldAcceptPublishedExamples(String version) {
        assertThat(RoomVersions.isValidVersionString(version)).isTrue();
    }

    @Test
    void isValidVersionStringShouldRejectWhenLongerThanMaxCodepoints() {
        int max = GRAMMAR.get("max_codepoints").intValue();
        assertThat(RoomVersions.isValidVersionString("a".repeat(max))).isTrue();
        assertThat(RoomVersions.isValidVersionString("a".repeat(max + 1))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "V1", "1_2", "1 2", "1/2", "1:2", "é", "1\u0000"})
    void isValidVersionStringShouldRejectWhenEmptyOrACharacterIsOutsideTheGrammar(String version) {
        assertThat(RoomVersions.isValidVersionString(version)).isFalse();
    }

    @Test
    void isValidVersionStringShouldRejectNull() {
        assertThat(RoomVersions.isValidVersionString(null)).isFalse();
    }

    /** The digits-and-dots form is reserved for the spec: every spec version uses it and is a valid string. */
    @Test
    void knownVersionsShouldBeValidAndUseTheFormReservedForTheSpec() {
        assertThat(GRAMMAR.get("reserved").stringValue()).contains("0-9").contains("'.'");
        assertThat(RoomVersions.all().keySet()).isNotEmpty().allSatisfy(id -> {
            assertThat(RoomVersions.isValidVersionString(id)).isTrue();
            assertThat(id).matches("[0-9.]+");
        });
    }
}
