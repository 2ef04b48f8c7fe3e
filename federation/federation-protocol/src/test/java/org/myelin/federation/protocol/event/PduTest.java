package org.myelin.federation.protocol.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.myelin.federation.protocol.SpecVectors;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.EventId;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.federation.protocol.room.RoomVersions;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class PduTest {

    private static final String V1_EVENT = "{\"event_id\":\"$e:a.example\",\"room_id\":\"!r:a.example\","
            + "\"sender\":\"@u:a.example\",\"type\":\"m.room.member\",\"state_key\":\"@u:a.example\","
            + "\"origin\":\"a.example\",\"origin_server_ts\":5,\"depth\":3,\"content\":{\"membership\":\"join\"},"
            + "\"prev_events\":[[\"$p:a.example\",{\"sha256\":\"x\"}]],\"auth_events\":[[\"$c:a.example\",{}],"
            + "[\"$m:b.example\",{}]],\"hashes\":{\"sha256\":\"x\"},\"signatures\":{}}";

    @Test
    void accessorsShouldReadPairsAndEventIdWhenRoomIsV1() {
        Pdu pdu = Pdu.parse(V1_EVENT.getBytes(StandardCharsets.UTF_8), RoomVersions.V1);
        assertThat(pdu.eventId()).isEqualTo(EventId.parse("$e:a.example"));
        assertThat(pdu.roomId()).isEqualTo(RoomId.parse("!r:a.example"));
        assertThat(pdu.sender()).isEqualTo(UserId.parse("@u:a.example"));
        assertThat(pdu.type()).isEqualTo("m.room.member");
        assertThat(pdu.stateKey()).contains("@u:a.example");
        assertThat(pdu.isState()).isTrue();
        assertThat(pdu.prevEvents()).containsExactly(EventId.parse("$p:a.example"));
        assertThat(pdu.authEvents()).containsExactly(EventId.parse("$c:a.example"), EventId.parse("$m:b.example"));
        assertThat(pdu.depth()).isEqualTo(3);
        assertThat(pdu.originServerTs()).isEqualTo(5);
        assertThat(pdu.content().get("membership").stringValue()).isEqualTo("join");
        assertThat(pdu.roomVersion()).isEqualTo(RoomVersions.V1);
    }

    @Test
    void accessorsShouldReadPlainIdListsAndComputeIdWhenRoomIsV4() {
        JsonNode event = SpecVectors.load("derived/derived_signing_vectors.json").get("event_id_encoding_v3_vs_v4")
                .get("event_with_hashes").deepCopy();
        ((ObjectNode) event).putArray("prev_events").add("$M2htVF5ddNJe35ShF9J8xvpusnYo1-s_aWDa511Jrmk");
        Pdu pdu = Pdu.of(event, RoomVersions.V4);
        assertThat(pdu.prevEvents()).containsExactly(EventId.parse("$M2htVF5ddNJe35ShF9J8xvpusnYo1-s_aWDa511Jrmk"));
        assertThat(pdu.authEvents()).isEmpty();
        assertThat(pdu.stateKey()).isEmpty();
        assertThat(pdu.eventId()).isEqualTo(EventIds.compute(event, RoomVersions.V4));
    }

    @Test
    void roomIdShouldBeDerivedWhenEventIsV12CreateEvent() {
        JsonNode vector = SpecVectors.load("derived/derived_signing_vectors.json").get("room_v12_create_event_room_id");
        Pdu pdu = Pdu.of(vector.get("signed_create_event"), RoomVersions.V12);
        assertThat(pdu.isCreateEvent()).isTrue();
        assertThat(pdu.eventId().value()).isEqualTo(vector.get("expected_event_id").stringValue());
        assertThat(pdu.roomId().value()).isEqualTo(vector.get("expected_room_id").stringValue());
    }

    @Test
    void canonicalBytesShouldBeCanonicalWhenInputWasNot() {
        String spaced = V1_EVENT.replace(",", ", ").replace("\"depth\":3", "\"depth\":3e0");
        Pdu pdu = Pdu.parse(spaced.getBytes(StandardCharsets.UTF_8), RoomVersions.V1);
        assertThat(pdu.canonicalJson()).isEqualTo(SpecVectors.canonical(pdu.json())).doesNotContain(", ").contains("\"depth\":3,");
        pdu.json().put("depth", 99);
        assertThat(pdu.depth()).as("views are copies").isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"depth\":3", "\"sender\":\"@u:a.example\"", "\"prev_events\":[[\"$p:a.example\",{\"sha256\":\"x\"}]]"})
    void parseShouldRejectWithBadJsonWhenRequiredFieldIsMalformed(String field) {
        String broken = V1_EVENT.replace(field, field.substring(0, field.indexOf(':') + 1) + "\"bad\"");
        assertThatThrownBy(() -> Pdu.parse(broken.getBytes(StandardCharsets.UTF_8), RoomVersions.V1))
                .isInstanceOfSatisfying(MatrixException.class, e -> assertThat(e.errCode()).isEqualTo(ErrCode.M_BAD_JSON));
    }

    @Test
    void parseShouldRejectWhenV3EventUsesPairsOrV12CreateHasRoomId() {
        String v3 = V1_EVENT.replace("\"event_id\":\"$e:a.example\",", "");
        assertThatThrownBy(() -> Pdu.parse(v3.getBytes(StandardCharsets.UTF_8), RoomVersions.V3))
                .isInstanceOf(MatrixException.class);
        JsonNode create = SpecVectors.load("derived/derived_signing_vectors.json").get("room_v12_create_event_room_id")
                .get("signed_create_event").deepCopy();
        ((ObjectNode) create).put("room_id", "!x:domain");
        assertThatThrownBy(() -> Pdu.of(create, RoomVersions.V12)).isInstanceOf(MatrixException.class);
    }
}
