package org.myelin.federation.protocol.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;

import org.junit.jupiter.api.Test;
import org.myelin.federation.protocol.SpecVectors;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.EventId;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.room.RoomVersion;
import org.myelin.federation.protocol.room.RoomVersions;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class EventIdsTest {

    private static final JsonNode DERIVED = SpecVectors.load("derived/derived_signing_vectors.json");

    @Test
    void computeShouldMatchDerivedReferenceHashIdsForEveryHashedRoomVersion() {
        JsonNode vector = DERIVED.get("event_signing_by_room_version").get(0);
        JsonNode ids = vector.get("reference_hash_event_id");
        // The IDs are of the event as sent: with its content hash filled in.
        ObjectNode event = (ObjectNode) vector.get("input").deepCopy();
        event.putObject("hashes").put("sha256", vector.get("content_hash_sha256").stringValue());
        assertThat(EventIds.compute(event, RoomVersions.V3).value()).isEqualTo(ids.get("room_v3").stringValue());
        for (RoomVersion version : new RoomVersion[] {RoomVersions.V4, RoomVersions.V6, RoomVersions.V10}) {
            assertThat(EventIds.compute(event, version).value()).isEqualTo(ids.get("room_v4_to_v10").stringValue());
        }
        for (RoomVersion version : new RoomVersion[] {RoomVersions.V11, RoomVersions.V12}) {
            assertThat(EventIds.compute(event, version).value()).isEqualTo(ids.get("room_v11_v12").stringValue());
        }
    }

    @Test
    void computeShouldEncodeSameHashDifferentlyWhenRoomIsV3OrV4() {
        JsonNode vector = DERIVED.get("event_id_encoding_v3_vs_v4");
        JsonNode event = vector.get("event_with_hashes");
        assertThat(EventIds.compute(event, RoomVersions.V3).value()).isEqualTo(vector.get("event_id_room_v3").stringValue());
        assertThat(EventIds.compute(event, RoomVersions.V4).value())
                .isEqualTo(vector.get("event_id_room_v4_to_v10").stringValue());
    }

    @Test
    void roomIdOfCreateEventShouldMatchDerivedV12RoomId() {
        JsonNode vector = DERIVED.get("room_v12_create_event_room_id");
        JsonNode create = vector.get("signed_create_event");
        assertThat(EventIds.compute(create, RoomVersions.V12).value()).isEqualTo(vector.get("expected_event_id").stringValue());
        assertThat(EventIds.roomIdOfCreateEvent(create, RoomVersions.V12).value())
                .isEqualTo(vector.get("expected_room_id").stringValue());
        assertThatThrownBy(() -> EventIds.roomIdOfCreateEvent(create, RoomVersions.V11)).isInstanceOf(MatrixException.class);
    }

    @Test
    void computeShouldReadEventIdFieldWhenRoomIsV1OrV2() {
        JsonNode event = SpecVectors.load("appendices/signing.json").get("event_signing").get(1).get("input");
        assertThat(EventIds.compute(event, RoomVersions.V1)).isEqualTo(EventId.parse("$0:domain"));
        JsonNode withoutId = SpecVectors.load("appendices/signing.json").get("event_signing").get(0).get("input");
        assertThatThrownBy(() -> EventIds.compute(withoutId, RoomVersions.V2)).isInstanceOf(MatrixException.class);
    }

    @Test
    void generateServerGeneratedShouldGiveDistinctIdsOnTheOriginServer() {
        SecureRandom random = new SecureRandom();
        ServerName origin = ServerName.parse("example.org");
        EventId first = EventIds.generateServerGenerated(origin, random);
        assertThat(first.server()).contains(origin);
        assertThat(first).isNotEqualTo(EventIds.generateServerGenerated(origin, random));
    }
}
