package org.myelin.federation.protocol.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.myelin.federation.protocol.SpecVectors;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;

import tools.jackson.databind.JsonNode;

class UserIdTest {

    static Stream<JsonNode> derivedCases() {
        return SpecVectors.elements(SpecVectors.load("appendices/identifiers.json").get("user_id").get("derived_cases"),
                "user ID cases").stream();
    }

    @ParameterizedTest
    @MethodSource("derivedCases")
    void parseShouldFollowVectorWhenIdIsCompliantHistoricalOrInvalid(JsonNode testCase) {
        String value = testCase.get("value").stringValue();
        boolean compliant = testCase.get("compliant").booleanValue();
        boolean acceptable = compliant || testCase.get("historical_acceptable").booleanValue();
        if (acceptable) {
            UserId id = UserId.parse(value);
            assertThat(id.toString()).isEqualTo(value);
            assertThat(id.hasValidNewLocalpart()).isEqualTo(compliant);
        } else {
            assertThatThrownBy(() -> UserId.parse(value)).isInstanceOfSatisfying(MatrixException.class,
                    e -> assertThat(e.errCode()).isEqualTo(ErrCode.M_INVALID_PARAM));
        }
    }

    @Test
    void parseShouldSplitAtFirstColonWhenServerHasAPort() {
        UserId id = UserId.parse("@alice:example.org:8448");
        assertThat(id.localpart()).isEqualTo("alice");
        assertThat(id.server()).isEqualTo(ServerName.parse("example.org:8448"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"@a\u0000b:example.org", "@\uD800:example.org", "@a:", "@a:bad_server", "@a:ex ample.org"})
    void parseShouldRejectWhenLocalpartHasNulOrSurrogateOrServerIsBad(String value) {
        assertThatThrownBy(() -> UserId.parse(value)).isInstanceOf(MatrixException.class);
    }

    @Test
    void parseShouldRejectWhenLongerThan255Bytes() {
        String localpart = "a".repeat(255 - "@:example.org".length());
        assertThat(UserId.parse("@" + localpart + ":example.org").toString()).hasSize(255);
        assertThatThrownBy(() -> UserId.parse("@" + localpart + "a:example.org")).isInstanceOf(MatrixException.class);
        String multiByte = "é".repeat(125);
        assertThatThrownBy(() -> UserId.parse("@" + multiByte + ":example.org")).isInstanceOf(MatrixException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice", "a.b_c=d-e/f+g", "0123"})
    void isValidNewLocalpartShouldAcceptWhenOnlyAllowedCharactersAreUsed(String localpart) {
        assertThat(UserId.isValidNewLocalpart(localpart)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Alice", "al ice", "al:ice", "ali*ce", "é"})
    void isValidNewLocalpartShouldRejectWhenCharacterIsOutsideStrictSet(String localpart) {
        assertThat(UserId.isValidNewLocalpart(localpart)).isFalse();
    }

    @Test
    void isNonCompliantShouldFlagEmptyAndNonPrintableAsciiLocalparts() {
        assertThat(UserId.parse("@:example.org").isNonCompliant()).isTrue();
        assertThat(UserId.parse("@al ice:example.org").isNonCompliant()).isTrue();
        assertThat(UserId.parse("@é:example.org").isNonCompliant()).isTrue();
        assertThat(UserId.parse("@Alice:example.org").isNonCompliant()).isFalse();
    }
}
