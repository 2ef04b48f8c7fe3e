package org.myelin.federation.server.read;

import java.util.Map;

import org.myelin.db.room.RelationRepository;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.server.auth.SignedRequest;
import org.myelin.http.QueryParams;
import org.myelin.http.Responses;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;

/**
 * {@code GET /_matrix/federation/v1/timestamp_to_event/{roomId}?ts=&dir=}: the event closest to a time, in the
 * direction asked, among those the asking server may see (it must be in the room, or the room world-readable).
 */
final class TimestampHandler {

    /** Events looked at past the time, so that a few the asker may not see do not hide the next one. */
    private static final int CANDIDATES = 20;

    private final RelationRepository events;
    private final ServerReadAccess access;

    TimestampHandler(RelationRepository events, ServerReadAccess access) {
        this.events = events;
        this.access = access;
    }

    Mono<ServerResponse> closest(ServerRequest request, SignedRequest signed) {
        String roomId = request.pathVariable("roomId");
        String dir = request.queryParam("dir").orElseThrow(() -> MatrixException.missingParam("Missing dir"));
        if (!dir.equals("b") && !dir.equals("f")) {
            throw MatrixException.invalidParam("dir must be b or f");
        }
        long ts = QueryParams.longInteger(request.queryParam("ts")
                .orElseThrow(() -> MatrixException.missingParam("Missing ts")), "ts");
        return access.requireInRoom(roomId, signed.origin())
                .then(events.closestToTimestamp(roomId, ts, dir.equals("f"), CANDIDATES))
                .flatMap(rows -> access.visible(signed.origin(), rows))
                .flatMap(rows -> rows.isEmpty()
                        ? Mono.error(MatrixException.notFound("No event found " + (dir.equals("f") ? "after" : "before")
                                + " " + ts))
                        : Responses.ok(Map.of("event_id", rows.get(0).eventId(),
                                "origin_server_ts", rows.get(0).originServerTs())));
    }
}
