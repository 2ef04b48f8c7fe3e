package org.myelin.clientapi.push.notify;

import java.util.List;

import org.myelin.clientapi.auth.Requester;
import org.myelin.clientapi.room.ClientEvents;
import org.myelin.db.push.NotificationRepository;
import org.myelin.db.push.NotificationRepository.Listed;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.EventId;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.http.Responses;
import org.myelin.room.api.ClientRoomApi;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * GET /_matrix/client/v3/notifications (https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3notifications):
 * the requester's notifications, newest first, {@code limit} at a time (50 unless given, at most
 * {@link #MAX_LIMIT}); {@code from} is a previous answer's {@code next_token}; {@code only=highlight} keeps the
 * highlighting ones. Each carries the event as the requester may see it now (one they may no longer see is left
 * out), the rule's actions, when it was notified and whether a read receipt (or an event they sent) covers it.
 */
@Component
public class NotificationsHandler {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 1000;
    private static final int READ_CONCURRENCY = 4;

    private final NotificationRepository notifications;
    private final ClientRoomApi rooms;
    private final ClientEvents clientEvents;
    private final ObjectMapper mapper;

    public NotificationsHandler(NotificationRepository notifications, ClientRoomApi rooms, ClientEvents clientEvents,
            ObjectMapper mapper) {
        this.notifications = notifications;
        this.rooms = rooms;
        this.clientEvents = clientEvents;
        this.mapper = mapper;
    }

    public Mono<ServerResponse> getNotifications(ServerRequest request, Requester requester) {
        long before = request.queryParam("from").map(NotificationsHandler::token).orElse(Long.MAX_VALUE);
        int limit = request.queryParam("limit").map(NotificationsHandler::limit).orElse(DEFAULT_LIMIT);
        boolean onlyHighlight = request.queryParam("only").map("highlight"::equals).orElse(false);
        UserId user = UserId.parse(requester.userId());
        return notifications.list(requester.userId(), before, onlyHighlight, limit).flatMap(listed -> Flux
                .fromIterable(listed)
                .flatMapSequential(n -> rooms.event(user, RoomId.parse(n.roomId()), EventId.parse(n.eventId()))
                        .map(event -> entry(n, clientEvents.format(event, requester)))
                        .onErrorResume(MatrixException.class, e -> Mono.empty()), READ_CONCURRENCY)
                .collectList()
                .map(entries -> body(entries, listed, limit)))
                .flatMap(Responses::ok);
    }

    private ObjectNode entry(Listed n, ObjectNode event) {
        event.remove("room_id");
        ObjectNode entry = mapper.createObjectNode();
        entry.set("actions", mapper.readTree(n.actionsJson()));
        entry.set("event", event);
        entry.put("read", n.read());
        entry.put("room_id", n.roomId());
        entry.put("ts", n.ts());
        return entry;
    }

    private ObjectNode body(List<ObjectNode> entries, List<Listed> listed, int limit) {
        ObjectNode body = mapper.createObjectNode();
        ArrayNode array = body.putArray("notifications");
        entries.forEach(array::add);
        if (!listed.isEmpty() && listed.size() == limit) {
            body.put("next_token", Long.toString(listed.get(listed.size() - 1).streamOrdering()));
        }
        return body;
    }

    private static long token(String from) {
        try {
            long value = Long.parseLong(from);
            if (value < 0) {
                throw MatrixException.invalidParam("from is not a token of this endpoint");
            }
            return value;
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam("from is not a token of this endpoint");
        }
    }

    private static int limit(String limit) {
        try {
            int value = Integer.parseInt(limit);
            if (value < 1) {
                throw MatrixException.invalidParam("limit must be positive");
            }
            return Math.min(value, MAX_LIMIT);
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam("limit must be an integer");
        }
    }
}
