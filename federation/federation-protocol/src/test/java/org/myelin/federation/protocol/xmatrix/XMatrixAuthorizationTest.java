package org.myelin.federation.protocol.xmatrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.myelin.federation.protocol.SpecTestKey;
import org.myelin.federation.protocol.SpecVectors;
import org.myelin.federation.protocol.crypto.SignatureCheck;
import org.myelin.federation.protocol.crypto.VerifyKey;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.KeyId;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.json.CanonicalJson;

import tools.jackson.databind.JsonNode;

class XMatrixAuthorizationTest {

    private static final JsonNode SPEC = SpecVectors.load("appendices/x_matrix_authorization.json");

    static Stream<JsonNode> derivedParseCases() {
        return SpecVectors.elements(SPEC.get("derived_parse_cases"), "X-Matrix parse cases").stream();
    }

    static Stream<JsonNode> signedRequests() {
        return SpecVectors.elements(SpecVectors.load("derived/derived_signing_vectors.json").get("x_matrix_request_signing"),
                "X-Matrix request signatures").stream();
    }

    @Test
    void parseShouldReadPublishedHeaderExample() {
        assertParsedAs(XMatrixAuthorization.parse(SPEC.get("published_header_example").stringValue()),
                SPEC.get("published_header_parsed"));
    }

    @ParameterizedTest
    @MethodSource("derivedParseCases")
    void parseShouldAcceptUnquotedCaseInsensitiveAndEscapedFormsWhenRfc9110AllowsThem(JsonNode testCase) {
        assertParsedAs(XMatrixAuthorization.parse(testCase.get("header").stringValue()), testCase.get("parsed"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Bearer abc", "X-Matrix", "X-Matrixorigin=a", "X-Matrix key=\"ed25519:1\",sig=\"A\"",
        "X-Matrix origin=a,key=\"ed25519:1\"", "X-Matrix origin=\"a,key=ed25519:1,sig=A", "X-Matrix origin=a key=ed25519:1",
        "X-Matrix origin=a,origin=b,key=ed25519:1,sig=A", "X-Matrix origin=bad_name,key=ed25519:1,sig=A",
        "X-Matrix origin=a,key=nocolon,sig=A", "X-Matrix origin=,key=ed25519:1,sig=A"})
    void parseShouldRejectWithUnauthorizedWhenHeaderIsMalformed(String header) {
        assertThatThrownBy(() -> XMatrixAuthorization.parse(header)).isInstanceOfSatisfying(MatrixException.class,
                e -> assertThat(e.errCode()).isEqualTo(ErrCode.M_UNAUTHORIZED));
    }

    @ParameterizedTest
    @MethodSource("signedRequests")
    void signShouldReproduceDerivedHeaderAndCanonicalJson(JsonNode vector) {
        XMatrixRequest request = request(vector.get("signed_json_input"));
        assertThat(CanonicalJson.encodeToString(request.toJson(), CanonicalJson.Mode.STRICT))
                .isEqualTo(vector.get("canonical").stringValue());
        XMatrixAuthorization authorization = XMatrixAuthorization.sign(request, SpecTestKey.signingKey());
        assertThat(authorization.signature()).isEqualTo(vector.get("signature").stringValue());
        assertThat(authorization.toHeaderValue()).isEqualTo(vector.get("authorization_header").stringValue());
    }

    @ParameterizedTest
    @MethodSource("signedRequests")
    void verifyShouldAcceptDerivedHeaderOnlyForTheSignedRequest(JsonNode vector) {
        JsonNode input = vector.get("signed_json_input");
        XMatrixAuthorization header = XMatrixAuthorization.parse(vector.get("authorization_header").stringValue());
        ServerName receiver = ServerName.parse(input.get("destination").stringValue());
        Optional<JsonNode> content = Optional.ofNullable(input.get("content"));
        String method = input.get("method").stringValue();
        String uri = input.get("uri").stringValue();
        assertThat(header.isAddressedTo(receiver)).isTrue();
        assertThat(header.verify(method, uri, receiver, content, SpecTestKey.signingKey().verifyKey()))
                .isEqualTo(SignatureCheck.VALID);
        assertThat(header.verify(method, uri + "?x=1", receiver, content, SpecTestKey.signingKey().verifyKey()))
                .isEqualTo(SignatureCheck.INVALID);
        assertThat(header.verify(method, uri, ServerName.parse("other.example"), content, SpecTestKey.signingKey().verifyKey()))
                .isEqualTo(SignatureCheck.INVALID);
        assertThat(header.isAddressedTo(ServerName.parse("other.example"))).isFalse();
    }

    @Test
    void verifyShouldReportUnknownKeyWhenGivenKeyHasAnotherId() {
        JsonNode vector = signedRequests().findFirst().orElseThrow();
        XMatrixAuthorization header = XMatrixAuthorization.parse(vector.get("authorization_header").stringValue());
        VerifyKey otherId = VerifyKey.of(KeyId.ed25519("2"),
                SpecTestKey.signingKey().verifyKey().bytes());
        assertThat(header.verify("GET", "/_matrix/federation/v1/version", ServerName.parse("remote.example"),
                Optional.empty(), otherId)).isEqualTo(SignatureCheck.UNKNOWN_KEY);
    }

    @Test
    void isAddressedToShouldAcceptAnyReceiverWhenLegacySenderOmitsDestination() {
        XMatrixAuthorization legacy = XMatrixAuthorization.parse("X-Matrix origin=a.example,key=ed25519:1,sig=ABC");
        assertThat(legacy.destination()).isEmpty();
        assertThat(legacy.isAddressedTo(ServerName.parse("b.example"))).isTrue();
        assertThat(legacy.toHeaderValue()).isEqualTo("X-Matrix origin=\"a.example\",key=\"ed25519:1\",sig=\"ABC\"");
    }

    private static XMatrixRequest request(JsonNode input) {
        return new XMatrixRequest(input.get("method").stringValue(), input.get("uri").stringValue(),
                ServerName.parse(input.get("origin").stringValue()), ServerName.parse(input.get("destination").stringValue()),
                Optional.ofNullable(input.get("content")));
    }

    private static void assertParsedAs(XMatrixAuthorization parsed, JsonNode expected) {
        assertThat(parsed.origin().value()).isEqualTo(expected.get("origin").stringValue());
        assertThat(parsed.key().toString()).isEqualTo(expected.get("key").stringValue());
        assertThat(parsed.signature()).isEqualTo(expected.get("sig").stringValue());
        assertThat(parsed.destination().map(ServerName::value))
                .isEqualTo(Optional.ofNullable(expected.get("destination")).map(JsonNode::stringValue));
    }
}
