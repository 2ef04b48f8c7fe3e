package org.myelin.federation.server.e2ee;

import java.util.LinkedHashMap;
import java.util.Map;

import org.myelin.ephemeral.LocalServer;
import org.myelin.ephemeral.todevice.ToDeviceService;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.id.UserId;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * {@code m.direct_to_device} from another server: its messages for local devices are stored as local ones are,
 * once per (sender, {@code message_id}) — the sender is a user of the origin, so this deduplicates per origin, as
 * the spec asks. Messages for users of other servers are dropped.
 */
final class InboundToDevice {

    /** The namespace of inbound message IDs among the senders' transaction IDs. */
    static final String TXN_PREFIX = "m.direct_to_device:";

    private final ToDeviceService toDevice;
    private final LocalServer localServer;

    InboundToDevice(ToDeviceService toDevice, LocalServer localServer) {
        this.toDevice = toDevice;
        this.localServer = localServer;
    }

    Mono<Void> apply(ServerName origin, JsonNode content) {
        String sender = EduFields.userOf(origin, content, "sender");
        String type = content.path("type").stringValue(null);
        String messageId = content.path("message_id").stringValue(null);
        if (sender == null || type == null || messageId == null || !content.path("messages").isObject()) {
            return Mono.empty();
        }
        Map<String, Map<String, JsonNode>> byUser = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> user : content.path("messages").properties()) {
            if (!isLocalUser(user.getKey()) || !user.getValue().isObject()) {
                continue;
            }
            Map<String, JsonNode> byDevice = new LinkedHashMap<>();
            user.getValue().properties().forEach(d -> {
                if (d.getValue().isObject()) {
                    byDevice.put(d.getKey(), d.getValue());
                }
            });
            byUser.put(UserId.parse(user.getKey()).toString(), byDevice);
        }
        return byUser.isEmpty() ? Mono.empty() : toDevice.send(sender, null, type, TXN_PREFIX + messageId, byUser);
    }

    private boolean isLocalUser(String raw) {
        try {
            return localServer.isLocal(UserId.parse(raw).toString());
        } catch (RuntimeException e) {
            return false;
        }
    }
}
