package org.myelin.federation.protocol.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.myelin.federation.protocol.SpecTestKey;
import org.myelin.federation.protocol.SpecVectors;
import org.myelin.federation.protocol.crypto.PublicKeys;
import org.myelin.federation.protocol.crypto.SigningKey;
import org.myelin.federation.protocol.event.EventVerification.Outcome;
import org.myelin.federation.protocol.id.KeyId;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.json.CanonicalJson;
import org.myelin.federation.protocol.json.CanonicalJson.Mode;
import org.myelin.federation.protocol.room.RoomVersion;
import org.myelin.federation.protocol.room.RoomVersions;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class EventVerifierTest {

    private static final EventSigning SPEC_SIGNER =
            new EventSigning(SpecTestKey.SERVER, SpecTestKey.signingKey(), new SecureRandom());

    @Test
    void verifyShouldPassWhenPublishedSignedEventIsChecked() {
        for (JsonNode vector : SpecVectors.elements(SpecVectors.load("appendices/signing.json").get("event_signing"), "events")) {
            JsonNode signed = vector.get("expected_signed");
            RoomVersion version = signed.has("event_id") ? RoomVersions.V1 : RoomVersions.V3;
            assertThat(EventVerifier.verify(signed, version, SpecTestKey.publicKeys())).isEqualTo(EventVerification.valid());
        }
    }

    @Test
    void verifyShouldPassWhenDerivedV12CreateEventIsChecked() {
        JsonNode create = SpecVectors.load("derived/derived_signing_vectors.json")
                .get("room_v12_create_event_room_id").get("signed_create_event");
        Pdu pdu = Pdu.of(create, RoomVersions.V12);
        assertThat(EventVerifier.verify(pdu, SpecTestKey.publicKeys()).outcome()).isEqualTo(Outcome.VALID);
    }

    @Test
    void verifyShouldReportContentHashMismatchWhenOnlyUnprotectedContentChanged() {
        ObjectNode event = SPEC_SIGNER.sign(EventSigningTest.protoMessage("!r:domain"), RoomVersions.V11).event();
        event.withObjectProperty("content").put("body", "tampered");
        EventVerification result = EventVerifier.verify(Pdu.of(event, RoomVersions.V11), SpecTestKey.publicKeys());
        assertThat(result.outcome()).isEqualTo(Outcome.CONTENT_HASH_MISMATCH);
        assertThat(result.signaturesValid()).isTrue();
    }

    @Test
    void verifyShouldKeepSignaturesValidButReportHashMismatchWhenGivenRedactedCopy() {
        ObjectNode event = SPEC_SIGNER.sign(EventSigningTest.protoMessage("!r:domain"), RoomVersions.V11).event();
        Pdu redacted = Pdu.of(Redactor.redact(event, RoomVersions.V11), RoomVersions.V11);
        assertThat(EventVerifier.verify(redacted, SpecTestKey.publicKeys()).outcome()).isEqualTo(Outcome.CONTENT_HASH_MISMATCH);
    }

    @Test
    void verifyShouldReportBadSignatureWhenAProtectedFieldChanged() {
        ObjectNode event = SPEC_SIGNER.sign(EventSigningTest.protoMessage("!r:domain"), RoomVersions.V11).event();
        event.put("origin_server_ts", 1000001);
        EventVerification result = EventVerifier.verify(Pdu.of(event, RoomVersions.V11), SpecTestKey.publicKeys());
        assertThat(result).isEqualTo(new EventVerification(Outcome.BAD_SIGNATURE, Optional.of(SpecTestKey.SERVER)));
        assertThat(result.signaturesValid()).isFalse();
    }

    @Test
    void verifyShouldReportMissingSignatureOrKeyWhenSenderServerDidNotSignOrIsUnknown() {
        Pdu pdu = SPEC_SIGNER.sign(EventSigningTest.protoMessage("!r:domain"), RoomVersions.V11).toPdu(RoomVersions.V11);
        assertThat(EventVerifier.verify(pdu, (server, keyId) -> Optional.empty()).outcome()).isEqualTo(Outcome.UNKNOWN_KEY);
        ObjectNode unsigned = pdu.json();
        unsigned.remove("signatures");
        assertThat(EventVerifier.verify(Pdu.of(unsigned, RoomVersions.V11), SpecTestKey.publicKeys()).outcome())
                .isEqualTo(Outcome.NOT_SIGNED);
    }

    @Test
    void requiredSignersShouldIncludeEventIdServerOnlyWhenRoomIsV1OrV2() {
        ObjectNode proto = EventSigningTest.protoMessage("!r:domain");
        proto.put("event_id", "$abc:elsewhere.example");
        ServerName elsewhere = ServerName.parse("elsewhere.example");
        assertThat(EventVerifier.requiredSigners(SPEC_SIGNER.sign(proto, RoomVersions.V1).event(), RoomVersions.V1))
                .containsExactly(SpecTestKey.SERVER, elsewhere);
        assertThat(EventVerifier.requiredSigners(SPEC_SIGNER.sign(proto, RoomVersions.V3).event(), RoomVersions.V3)).containsExactly(SpecTestKey.SERVER);
        assertThat(EventVerifier.verify(SPEC_SIGNER.sign(proto, RoomVersions.V1).event(), RoomVersions.V1, SpecTestKey.publicKeys()))
                .isEqualTo(new EventVerification(Outcome.NOT_SIGNED, Optional.of(elsewhere)));
    }

    @Test
    void requiredSignersShouldIncludeAuthorisingServerWhenRestrictedJoinIsAllowed() {
        ObjectNode join = member("join", ",\"join_authorised_via_users_server\":\"@mod:resident.example\"");
        assertThat(EventVerifier.requiredSigners(SPEC_SIGNER.sign(join, RoomVersions.V8).event(), RoomVersions.V8))
                .containsExactly(SpecTestKey.SERVER, ServerName.parse("resident.example"));
        assertThat(EventVerifier.requiredSigners(SPEC_SIGNER.sign(join, RoomVersions.V7).event(), RoomVersions.V7)).containsExactly(SpecTestKey.SERVER);

        SigningKey residentKey = SigningKey.generate(KeyId.ed25519("r"), new SecureRandom());
        ServerName resident = ServerName.parse("resident.example");
        Pdu countersigned = new EventSigning(resident, residentKey, new SecureRandom())
                .countersign(SPEC_SIGNER.sign(join, RoomVersions.V9).toPdu(RoomVersions.V9), RoomVersions.V9);
        PublicKeys both = (server, id) -> server.equals(resident)
                ? Optional.of(residentKey.verifyKey()) : SpecTestKey.publicKeys().find(server, id);
        assertThat(EventVerifier.verify(countersigned, both).outcome()).isEqualTo(Outcome.VALID);
    }

    @Test
    void requiredSignersShouldSkipSenderServerWhenInviteComesFromThirdPartyInvite() {
        ObjectNode invite = member("invite", ",\"third_party_invite\":{\"signed\":{\"mxid\":\"@v:domain\",\"token\":\"t\"}}");
        assertThat(EventVerifier.requiredSigners(SPEC_SIGNER.sign(invite, RoomVersions.V10).event(), RoomVersions.V10)).isEmpty();
        assertThat(EventVerifier.requiredSigners(SPEC_SIGNER.sign(member("invite", ""), RoomVersions.V10).event(), RoomVersions.V10))
                .containsExactly(SpecTestKey.SERVER);
    }

    private static ObjectNode member(String membership, String extraContent) {
        return (ObjectNode) CanonicalJson.parse("{\"type\":\"m.room.member\",\"state_key\":\"@v:domain\",\"room_id\":\"!r:domain\","
                + "\"sender\":\"@u:domain\",\"origin_server_ts\":1,\"depth\":2,\"prev_events\":[],\"auth_events\":[],"
                + "\"content\":{\"membership\":\"" + membership + "\"" + extraContent + "}}", Mode.STRICT);
    }
}
