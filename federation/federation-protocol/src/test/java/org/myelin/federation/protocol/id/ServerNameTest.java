package org.myelin.federation.protocol.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.myelin.federation.protocol.SpecVectors;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;

import tools.jackson.databind.JsonNode;

class ServerNameTest {

    private static final JsonNode VECTORS = SpecVectors.load("appendices/identifiers.json").get("server_name");

    static Stream<String> publishedValid() {
        return SpecVectors.elements(VECTORS.get("published_valid"), "valid server names").stream().map(JsonNode::stringValue);
    }

    static Stream<String> derivedInvalid() {
        return SpecVectors.elements(VECTORS.get("derived_invalid"), "invalid server names").stream()
                .map(c -> c.get("value").stringValue());
    }

    @ParameterizedTest
    @MethodSource("publishedValid")
    void parseShouldAcceptWhenSpecListsNameAsValid(String value) {
        assertThat(ServerName.parse(value).value()).isEqualTo(value);
    }

    @ParameterizedTest
    @MethodSource("derivedInvalid")
    void parseShouldRejectWithInvalidParamWhenGrammarIsBroken(String value) {
        assertThatThrownBy(() -> ServerName.parse(value))
                .isInstanceOfSatisfying(MatrixException.class, e -> assertThat(e.errCode()).isEqualTo(ErrCode.M_INVALID_PARAM));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3.256", "[::1", "[1:2:3:4:5:6:7:8:9]", "[1::2::3]", "[12345::]", "[::1]x", "a b",
        "[::1]:", "ex.org:8a", "é.org", "[g::1]"})
    void parseShouldRejectWhenLiteralOrPortIsMalformed(String value) {
        assertThatThrownBy(() -> ServerName.parse(value)).isInstanceOf(MatrixException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[::1]", "[::]", "[1:2:3:4:5:6:7:8]", "[::ffff:1.2.3.4]:443", "MATRIX.org", "localhost:8800",
        "1.2.3"})
    void parseShouldAcceptWhenNameIsAnIpv6FormOrPlainDnsName(String value) {
        assertThat(ServerName.parse(value).value()).isEqualTo(value);
    }

    @Test
    void hostAndPortShouldSplitWhenPortIsGiven() {
        List<ServerName> names = List.of(ServerName.parse("matrix.org:8888"), ServerName.parse("[1234:5678::abcd]:5678"));
        assertThat(names).extracting(ServerName::host).containsExactly("matrix.org", "[1234:5678::abcd]");
        assertThat(names).extracting(ServerName::port).containsExactly(OptionalInt.of(8888), OptionalInt.of(5678));
        assertThat(ServerName.parse("1.2.3.4").port()).isEmpty();
    }

    @Test
    void equalsShouldBeCaseSensitiveWhenNamesDifferOnlyInCase() {
        assertThat(ServerName.parse("matrix.org")).isNotEqualTo(ServerName.parse("MATRIX.ORG"));
    }

    @Test
    void parseShouldThrowInvalidParamWhenValueIsNull() {
        assertThatThrownBy(() -> ServerName.parse(null)).isInstanceOf(MatrixException.class);
    }
}
