package org.myelin.room.graph;

import java.security.SecureRandom;
import java.util.List;

import org.myelin.federation.protocol.crypto.SigningKey;
import org.myelin.federation.protocol.event.EventSigning;
import org.myelin.federation.protocol.event.Pdu;
import org.myelin.federation.protocol.id.KeyId;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.room.RoomVersion;

import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Another homeserver in a test: builds and signs PDUs with explicit prev and auth events, as a fork needs. */
final class RemoteServer {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final EventSigning signing;
    private long clock = 1_700_000_000_000L;

    RemoteServer(String name) {
        this.signing = new EventSigning(ServerName.parse(name), SigningKey.generate(KeyId.ed25519("r"), RANDOM),
                RANDOM);
    }

    /** A signed PDU (room versions 3+: events referenced by ID). */
    Pdu event(RoomVersion version, String roomId, String sender, String type, String stateKey, ObjectNode content,
            List<String> prevEvents, List<String> authEvents, long depth) {
        ObjectNode proto = JsonNodeFactory.instance.objectNode().put("room_id", roomId).put("sender", sender)
                .put("type", type);
        if (stateKey != null) {
            proto.put("state_key", stateKey);
        }
        proto.set("content", content);
        proto.put("origin_server_ts", clock++).put("depth", depth);
        prevEvents.forEach(proto.putArray("prev_events")::add);
        if (prevEvents.isEmpty()) {
            proto.putArray("prev_events");
        }
        var auth = proto.putArray("auth_events");
        authEvents.forEach(auth::add);
        return Pdu.of(signing.sign(proto, version).event(), version);
    }
}
