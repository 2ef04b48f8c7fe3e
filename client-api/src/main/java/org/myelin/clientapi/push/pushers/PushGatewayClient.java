package org.myelin.clientapi.push.pushers;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import org.myelin.db.push.NotificationRepository.Notified;
import org.myelin.db.push.PusherRepository.Pusher;
import org.myelin.federation.protocol.push.PushActions;
import org.myelin.http.outbound.GuardedHttpClient;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Calls {@code POST /_matrix/push/v1/notify} of a pusher's gateway (https://spec.matrix.org/v1.19/push-gateway-api/)
 * through the outbound guard, within the client's time limit. The body carries the event's fields (only its
 * {@code event_id} and {@code room_id} for the {@code event_id_only} format), the badge count, the priority and the
 * one device: app ID, pushkey, pushkey_ts in seconds, the pusher's data without {@code url}, and the rule's tweaks.
 */
public final class PushGatewayClient {

    /** What the gateway answered: whether it accepted, and the pushkeys it rejected. */
    public record Outcome(boolean accepted, List<String> rejected) {
    }

    private static final long MAX_ANSWER_BYTES = 64 * 1024;

    private final GuardedHttpClient http;
    private final ObjectMapper mapper;

    public PushGatewayClient(GuardedHttpClient http, ObjectMapper mapper) {
        this.http = http;
        this.mapper = mapper;
    }

    /** Sends one notification; a transport failure is an outcome that was not accepted, never an error. */
    public Mono<Outcome> notify(Pusher pusher, String eventId, Notified notified, long unread) {
        JsonNode data = mapper.readTree(pusher.dataJson());
        URI url = URI.create(data.path("url").asString(""));
        byte[] body = mapper.writeValueAsBytes(body(pusher, data, eventId, notified, unread));
        return http.postJson(url, body, MAX_ANSWER_BYTES).map(response -> {
            if (response.status() / 100 != 2) {
                return new Outcome(false, List.of());
            }
            List<String> rejected = new ArrayList<>();
            JsonNode answer = mapper.readTree(response.body());
            answer.path("rejected").forEach(key -> {
                if (key.isString()) {
                    rejected.add(key.asString());
                }
            });
            return new Outcome(true, rejected);
        }).onErrorResume(e -> Mono.just(new Outcome(false, List.of())));
    }

    ObjectNode body(Pusher pusher, JsonNode data, String eventId, Notified notified, long unread) {
        JsonNode event = mapper.readTree(notified.eventJson());
        PushActions actions = PushActions.of(mapper.readTree(notified.actionsJson()));
        ObjectNode body = mapper.createObjectNode();
        ObjectNode n = body.putObject("notification");
        n.put("event_id", eventId);
        n.put("room_id", notified.roomId());
        boolean eventIdOnly = "event_id_only".equals(data.path("format").asString(""));
        if (!eventIdOnly) {
            n.set("type", event.path("type"));
            n.set("sender", event.path("sender"));
            putIfPresent(n, "sender_display_name", notified.senderDisplayName());
            putIfPresent(n, "room_name", notified.roomName());
            putIfPresent(n, "room_alias", notified.roomAlias());
            if ("m.room.member".equals(event.path("type").asString(""))) {
                n.put("user_is_target", pusher.userId().equals(event.path("state_key").asString("")));
            }
            if (!notified.redacted() && event.path("content").isObject()) {
                n.set("content", event.get("content"));
            }
        }
        // NOTSPEC: the spec leaves the priority to the server; as Synapse, high for encrypted events (whose
        // content the server cannot judge) and for anything that highlights or makes a sound.
        boolean high = "m.room.encrypted".equals(event.path("type").asString("")) || actions.highlight()
                || actions.tweaks().containsKey("sound");
        n.put("prio", high ? "high" : "low");
        ObjectNode counts = n.putObject("counts");
        if (unread > 0) {
            counts.put("unread", unread);
        }
        ObjectNode device = n.putArray("devices").addObject();
        device.put("app_id", pusher.appId());
        device.put("pushkey", pusher.pushkey());
        device.put("pushkey_ts", pusher.pushkeyTs() / 1000);
        ObjectNode deviceData = ((ObjectNode) data).deepCopy();
        deviceData.remove("url");
        device.set("data", deviceData);
        ObjectNode tweaks = device.putObject("tweaks");
        actions.tweaks().forEach(tweaks::set);
        return body;
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
