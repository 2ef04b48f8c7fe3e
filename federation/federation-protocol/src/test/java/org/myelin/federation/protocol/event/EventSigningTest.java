package org.myelin.federation.protocol.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.myelin.federation.protocol.SpecTestKey;
import org.myelin.federation.protocol.SpecVectors;
import org.myelin.federation.protocol.crypto.JsonSigner;
import org.myelin.federation.protocol.crypto.PublicKeys;
import org.myelin.federation.protocol.crypto.SignatureCheck;
import org.myelin.federation.protocol.crypto.SigningKey;
import org.myelin.federation.protocol.id.KeyId;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.json.CanonicalJson;
import org.myelin.federation.protocol.json.CanonicalJson.Mode;
import org.myelin.federation.protocol.room.RoomVersion;
import org.myelin.federation.protocol.room.RoomVersions;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class EventSigningTest {

    private static final EventSigning SPEC_SIGNER =
            new EventSigning(SpecTestKey.SERVER, SpecTestKey.signingKey(), new SecureRandom());

    static Stream<JsonNode> publishedEventVectors() {
        return SpecVectors.elements(SpecVectors.load("appendices/signing.json").get("event_signing"), "event vectors").stream();
    }

    /** Each derived input with the signature expected in a room version of each redaction family. */
    static Stream<Arguments> derivedSignaturesByRoomVersion() {
        return SpecVectors.elements(SpecVectors.load("derived/derived_signing_vectors.json")
                .get("event_signing_by_room_version"), "derived event vectors").stream()
                .flatMap(vector -> Stream.of(
                        Arguments.of(vector.get("input"), withV1Rules(vector.get("input")), vector.get("signature_rooms_v1_to_v10")),
                        Arguments.of(vector.get("input"), RoomVersions.V10, vector.get("signature_rooms_v1_to_v10")),
                        Arguments.of(vector.get("input"), RoomVersions.V11, vector.get("signature_rooms_v11_v12")),
                        Arguments.of(vector.get("input"), RoomVersions.V12, vector.get("signature_rooms_v11_v12"))));
    }

    @ParameterizedTest
    @MethodSource("publishedEventVectors")
    void signShouldReproduceSpecSignedEventWhenRoomUsesV1Rules(JsonNode vector) {
        ObjectNode proto = (ObjectNode) CanonicalJson.parse(vector.get("input_text").stringValue(), Mode.LENIENT);
        SignedEvent signed = SPEC_SIGNER.sign(proto, withV1Rules(proto));
        assertThat(SpecVectors.canonical(signed.event())).isEqualTo(SpecVectors.canonical(vector.get("expected_signed")));
        assertThat(SpecVectors.canonical(Redactor.redact(signed.event(), RoomVersions.V1).without("signatures")))
                .isEqualTo(vector.get("redacted_form_canonical").stringValue());
    }

    @ParameterizedTest
    @MethodSource("derivedSignaturesByRoomVersion")
    void signShouldMatchDerivedSignatureWhenRedactionRulesDiffer(JsonNode input, RoomVersion version, JsonNode expected) {
        SignedEvent signed = SPEC_SIGNER.sign((ObjectNode) input, version);
        assertThat(signed.event().get("signatures").get("domain").get("ed25519:1").stringValue()).isEqualTo(expected.stringValue());
    }

    @Test
    void signShouldGenerateEventIdOnOriginWhenRoomV1ProtoEventHasNone() {
        ObjectNode proto = protoMessage("!r:domain");
        SignedEvent signed = SPEC_SIGNER.sign(proto, RoomVersions.V2);
        assertThat(signed.eventId().server()).contains(SpecTestKey.SERVER);
        assertThat(signed.event().get("event_id").stringValue()).isEqualTo(signed.eventId().value());
        assertThat(EventVerifier.verify(signed.toPdu(RoomVersions.V2), SpecTestKey.publicKeys()).outcome()).isEqualTo(EventVerification.Outcome.VALID);
    }

    @Test
    void countersignShouldAddSecondServerSignatureAndKeepTheFirst() {
        Pdu pdu = SPEC_SIGNER.sign(protoMessage("!r:domain"), RoomVersions.V10).toPdu(RoomVersions.V10);
        SigningKey otherKey = SigningKey.generate(KeyId.ed25519("other"), new SecureRandom());
        ServerName other = ServerName.parse("other.example");
        Pdu countersigned = new EventSigning(other, otherKey, new SecureRandom()).countersign(pdu, RoomVersions.V10);
        assertThat(countersigned.eventId()).isEqualTo(pdu.eventId());
        assertThat(countersigned.json().get("signatures").propertyNames()).containsExactlyInAnyOrder("domain", "other.example");
        assertThat(EventVerifier.verify(countersigned, SpecTestKey.publicKeys()).outcome())
                .isEqualTo(EventVerification.Outcome.VALID);
        assertThat(JsonSigner.verify(Redactor.redact(countersigned.json(), RoomVersions.V10), other,
                PublicKeys.of(other, List.of(otherKey.verifyKey())))).isEqualTo(SignatureCheck.VALID);
    }

    /**
     * A room version with the v1 redaction rules the published vectors use: v1 itself when the event carries an
     * event_id, else v3, so that signing does not add a generated one.
     */
    private static RoomVersion withV1Rules(JsonNode event) {
        return event.has("event_id") ? RoomVersions.V1 : RoomVersions.V3;
    }

    static ObjectNode protoMessage(String roomId) {
        return (ObjectNode) CanonicalJson.parse("{\"type\":\"m.room.message\",\"room_id\":\"" + roomId + "\","
                + "\"sender\":\"@u:domain\",\"origin_server_ts\":1000000,\"depth\":4,\"prev_events\":[],"
                + "\"auth_events\":[],\"content\":{\"body\":\"hi\"},\"unsigned\":{\"age\":1}}", Mode.STRICT);
    }
}
