package org.myelin.clientapi.ephemeral.typing;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.myelin.clientapi.sync.SyncRequest;
import org.myelin.clientapi.sync.SyncResponseBuilder;
import org.myelin.clientapi.sync.SyncStreamSource;
import org.myelin.db.ephemeral.TypingRepository;
import org.myelin.db.ephemeral.TypingRepository.Typer;
import org.myelin.db.notify.StreamPosition;
import org.myelin.ephemeral.StreamWriter;
import org.myelin.ephemeral.typing.TypingService;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The "typing" stream: an {@code m.typing} event with the current typers for every joined room whose typing set
 * changed since the last sync; an initial sync gets the rooms where someone types now.
 */
@Component
public class TypingSource implements SyncStreamSource {

    private final StreamWriter writer;
    private final TypingRepository typing;
    private final Clock clock;

    public TypingSource(StreamWriter writer, TypingRepository typing, Clock clock) {
        this.writer = writer;
        this.typing = typing;
        this.clock = clock;
    }

    @Override
    public String name() {
        return TypingService.STREAM;
    }

    @Override
    public Mono<Long> currentPosition() {
        return writer.current(TypingService.STREAM);
    }

    @Override
    public Mono<Void> contribute(SyncRequest request, long since, long upTo, SyncResponseBuilder out) {
        if (request.joinedRoomIds().isEmpty()) {
            return Mono.empty();
        }
        long now = clock.millis();
        Mono<List<String>> rooms = since == 0 ? Mono.just(List.copyOf(request.joinedRoomIds()))
                : typing.changedRooms(request.joinedRoomIds(), since, upTo);
        return rooms.filter(r -> !r.isEmpty()).flatMap(r -> typing.typers(r, now).doOnNext(typers -> {
            Map<String, ObjectNode> events = new LinkedHashMap<>();
            if (since != 0) {
                r.forEach(roomId -> events.put(roomId, event()));
            }
            for (Typer t : typers) {
                ((ArrayNode) events.computeIfAbsent(t.roomId(), k -> event())
                        .get("content").get("user_ids")).add(t.userId());
            }
            events.forEach(out::addRoomEphemeral);
        })).then();
    }

    private static ObjectNode event() {
        ObjectNode event = JsonNodeFactory.instance.objectNode().put("type", "m.typing");
        event.putObject("content").putArray("user_ids");
        return event;
    }

    @Override
    public boolean concerns(StreamPosition position, SyncRequest request) {
        return TypingService.STREAM.equals(position.stream())
                && (position.scope() == null || request.joinedRoomIds().contains(position.scope()));
    }
}
