package org.myelin.federation.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.myelin.federation.protocol.SpecTestKey;
import org.myelin.federation.protocol.SpecVectors;
import org.myelin.federation.protocol.id.KeyId;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.json.CanonicalJson;
import org.myelin.federation.protocol.json.CanonicalJson.Mode;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class JsonSignerTest {

    static Stream<JsonNode> jsonSigningVectors() {
        return SpecVectors.elements(SpecVectors.load("appendices/signing.json").get("json_signing"), "JSON signing vectors")
                .stream();
    }

    @ParameterizedTest
    @MethodSource("jsonSigningVectors")
    void signShouldReproduceSpecSignatureWhenSigningWithSpecKey(JsonNode vector) {
        ObjectNode input = (ObjectNode) CanonicalJson.parse(vector.get("input_text").stringValue(), Mode.STRICT);
        ObjectNode signed = JsonSigner.sign(input, SpecTestKey.SERVER, SpecTestKey.signingKey());
        assertThat(SpecVectors.canonical(signed)).isEqualTo(SpecVectors.canonical(vector.get("expected_signed")));
        assertThat(input.has("signatures")).as("input untouched").isFalse();
    }

    @ParameterizedTest
    @MethodSource("jsonSigningVectors")
    void verifyShouldAcceptSpecSignatureAndRejectAnyChange(JsonNode vector) {
        ObjectNode signed = (ObjectNode) vector.get("expected_signed").deepCopy();
        assertThat(JsonSigner.verify(signed, SpecTestKey.SERVER, SpecTestKey.publicKeys())).isEqualTo(SignatureCheck.VALID);
        signed.put("extra", 1);
        assertThat(JsonSigner.verify(signed, SpecTestKey.SERVER, SpecTestKey.publicKeys())).isEqualTo(SignatureCheck.INVALID);
    }

    @Test
    void signShouldKeepUnsignedAndExcludeItFromSignatureWhenPresent() {
        ObjectNode input = (ObjectNode) CanonicalJson.parse("{\"one\":1,\"two\":\"Two\",\"unsigned\":{\"age_ts\":5}}", Mode.STRICT);
        ObjectNode signed = JsonSigner.sign(input, SpecTestKey.SERVER, SpecTestKey.signingKey());
        assertThat(signed.get("unsigned").get("age_ts").intValue()).isEqualTo(5);
        assertThat(signed.get("signatures").get("domain").get("ed25519:1").stringValue())
                .isEqualTo("KqmLSbO39/Bzb0QIYE82zqLwsA+PDzYIpIRA2sRQ4sL53+sN6/fpNSoqE7BP7vBZhG6kYdD13EIMJpvhJI+6Bw");
        signed.withObjectProperty("unsigned").put("age_ts", 99);
        assertThat(JsonSigner.verify(signed, SpecTestKey.SERVER, SpecTestKey.publicKeys())).isEqualTo(SignatureCheck.VALID);
    }

    @Test
    void verifyShouldReportWhyWhenSignatureIsMissingUnknownOrMalformed() {
        ObjectNode signed = JsonSigner.sign((ObjectNode) CanonicalJson.parse("{}", Mode.STRICT),
                SpecTestKey.SERVER, SpecTestKey.signingKey());
        assertThat(JsonSigner.verify(signed, ServerName.parse("other"), SpecTestKey.publicKeys()))
                .isEqualTo(SignatureCheck.NOT_SIGNED);
        assertThat(JsonSigner.verify(signed, SpecTestKey.SERVER, (server, id) -> Optional.empty()))
                .isEqualTo(SignatureCheck.UNKNOWN_KEY);
        ObjectNode foreignAlgorithm = signed.deepCopy();
        foreignAlgorithm.withObjectProperty("signatures").putObject("domain").put("curve25519:1", "AAAA");
        assertThat(JsonSigner.verify(foreignAlgorithm, SpecTestKey.SERVER, SpecTestKey.publicKeys()))
                .isEqualTo(SignatureCheck.NOT_SIGNED);
        ObjectNode garbled = signed.deepCopy();
        garbled.withObjectProperty("signatures").withObjectProperty("domain").put("ed25519:1", "!!not base64!!");
        assertThat(JsonSigner.verify(garbled, SpecTestKey.SERVER, SpecTestKey.publicKeys())).isEqualTo(SignatureCheck.INVALID);
    }

    @Test
    void verifyShouldAcceptSelfSignedServerKeyResponseWhenCheckedWithItsOwnVerifyKey() {
        JsonNode response = SpecVectors.load("derived/derived_signing_vectors.json")
                .get("server_key_response_self_signed").get("response");
        ServerName server = ServerName.parse(response.get("server_name").stringValue());
        VerifyKey key = VerifyKey.fromBase64(KeyId.parse("ed25519:1"),
                response.get("verify_keys").get("ed25519:1").get("key").stringValue());
        assertThat(JsonSigner.verify(response, server, PublicKeys.of(server, List.of(key)))).isEqualTo(SignatureCheck.VALID);
        ObjectNode signedAgain = JsonSigner.sign(((ObjectNode) response).deepCopy(), server, SpecTestKey.signingKey());
        assertThat(SpecVectors.canonical(signedAgain)).isEqualTo(SpecVectors.canonical(response));
    }
}
