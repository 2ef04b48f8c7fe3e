package org.myelin.federation.server.transaction;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.myelin.db.ephemeral.ReceiptRepository.Receipt;
import org.myelin.ephemeral.receipts.ReceiptService;
import org.myelin.ephemeral.typing.TypingService;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.room.graph.RoomStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The EDUs of a received transaction: {@code m.typing} and {@code m.receipt}, each applied only for a user of the
 * origin server who is joined to the room, and only when the room's server ACL allows the origin; the types of the
 * {@link InboundEduHandler}s given (device lists, to-device); anything invalid is dropped, as EDUs have no
 * per-item answer. Unknown EDU types are ignored.
 */
final class InboundEdus {

    /** How long a remote typing notification lasts: the spec leaves it to the receiver; Synapse uses 30 s. */
    static final long REMOTE_TYPING_TIMEOUT_MS = 30_000;
    private static final Logger LOG = LoggerFactory.getLogger(InboundEdus.class);

    private final RoomStore store;
    private final RoomAcls acls;
    private final TypingService typing;
    private final ReceiptService receipts;
    private final List<InboundEduHandler> handlers;
    private final Clock clock;

    InboundEdus(RoomStore store, RoomAcls acls, TypingService typing, ReceiptService receipts,
            List<InboundEduHandler> handlers, Clock clock) {
        this.store = store;
        this.acls = acls;
        this.typing = typing;
        this.receipts = receipts;
        this.handlers = List.copyOf(handlers);
        this.clock = clock;
    }

    Mono<Void> apply(ServerName origin, JsonNode edus) {
        return Flux.fromIterable(edus).concatMap(edu -> {
            JsonNode content = edu.path("content");
            return switch (edu.path("edu_type").stringValue("")) {
                case "m.typing" -> typing(origin, content);
                case "m.receipt" -> receipts(origin, content);
                default -> other(origin, edu.path("edu_type").stringValue(""), content);
            };
        }).onErrorResume(e -> {
            LOG.info("Dropped EDUs from {}: {}", origin, e.getMessage());
            return Mono.empty();
        }).then();
    }

    private Mono<Void> other(ServerName origin, String type, JsonNode content) {
        return handlers.stream().filter(h -> h.eduType().equals(type)).findFirst()
                .map(h -> h.apply(origin, content).onErrorResume(e -> {
                    LOG.info("Dropped an EDU of {} from {}: {}", type, origin, e.getMessage());
                    return Mono.empty();
                })).orElse(Mono.empty());
    }

    private Mono<Void> typing(ServerName origin, JsonNode content) {
        String roomId = content.path("room_id").stringValue(null);
        String userId = content.path("user_id").stringValue(null);
        if (roomId == null || userId == null || !content.path("typing").isBoolean()) {
            return Mono.empty();
        }
        return mayAct(origin, roomId, userId).filter(Boolean::booleanValue).flatMap(ok -> typing.setTyping(roomId,
                userId, content.path("typing").booleanValue(), REMOTE_TYPING_TIMEOUT_MS));
    }

    private Mono<Void> receipts(ServerName origin, JsonNode content) {
        return Flux.fromIterable(content.properties()).concatMap(room -> Flux.fromIterable(room.getValue().properties())
                .concatMap(type -> Flux.fromIterable(type.getValue().properties())
                        .concatMap(user -> receipt(origin, room.getKey(), type.getKey(), user))))
                .then();
    }

    private Mono<Void> receipt(ServerName origin, String roomId, String type, Map.Entry<String, JsonNode> user) {
        JsonNode eventIds = user.getValue().path("event_ids");
        JsonNode data = user.getValue().path("data");
        if (!eventIds.isArray() || eventIds.isEmpty() || !eventIds.get(0).isString()) {
            return Mono.empty();
        }
        long ts = data.path("ts").isIntegralNumber() ? data.path("ts").asLong() : clock.millis();
        String thread = data.path("thread_id").isString() ? data.path("thread_id").stringValue() : "";
        return mayAct(origin, roomId, user.getKey()).filter(Boolean::booleanValue).flatMap(ok -> receipts.put(
                new Receipt(roomId, type, user.getKey(), thread, eventIds.get(0).stringValue(), ts)));
    }

    /** The user belongs to the origin, is joined to the room, and the room's ACL allows the origin. */
    private Mono<Boolean> mayAct(ServerName origin, String roomId, String userId) {
        try {
            if (!UserId.parse(userId).server().equals(origin)) {
                return Mono.just(false);
            }
        } catch (MatrixException e) {
            return Mono.just(false);
        }
        return acls.allows(roomId, origin).flatMap(allowed -> !allowed ? Mono.just(false)
                : store.memberships().find(roomId, userId).map(m -> "join".equals(m.membership()))
                        .defaultIfEmpty(false));
    }
}
