package org.myelin.room.graph;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.myelin.db.account.UserRepository;
import org.myelin.db.room.ContentReportRepository;
import org.myelin.db.room.EventReportRepository;
import org.myelin.db.room.EventRow;
import org.myelin.db.room.RelationRepository;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.EventId;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.room.api.ClientRoomReadApi;
import org.myelin.room.api.EventContext;
import org.myelin.room.api.EventFilter;
import org.myelin.room.api.RelationsPage;
import org.myelin.room.api.RelationsQuery;
import org.myelin.room.api.RoomEvent;
import org.myelin.room.api.ThreadsPage;
import org.myelin.room.api.TimelinePosition;

import reactor.core.publisher.Mono;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** {@link ClientRoomReadApi} over the local room graph. */
public final class LocalClientRoomReadApi implements ClientRoomReadApi {

    /** Candidates read per timestamp lookup, so that a few invisible events do not hide a visible one. */
    private static final int TIMESTAMP_CANDIDATES = 50;

    private final RoomEventService events;
    private final RoomStore store;
    private final RoomReadAccess access;
    private final RoomReader reader;
    private final ClientViews views;
    private final RelationReader relations;
    private final RelationRepository relationRows;
    private final EventReportRepository reports;
    private final ContentReportRepository contentReports;
    private final UserRepository users;
    private final Clock clock;

    public LocalClientRoomReadApi(RoomEventService events, RoomStore store, Clock clock) {
        this.events = events;
        this.store = store;
        this.access = new RoomReadAccess(store, events.cpu());
        this.views = new ClientViews(store, events.cpu());
        this.reader = new RoomReader(store, access, views);
        this.relationRows = new RelationRepository(store.db());
        this.relations = new RelationReader(access, reader, views, relationRows);
        this.reports = new EventReportRepository(store.db());
        this.contentReports = new ContentReportRepository(store.db());
        this.users = new UserRepository(store.db());
        this.clock = clock;
    }

    @Override
    public Mono<EventId> redact(UserId sender, String deviceId, RoomId roomId, EventId eventId, String reason,
            String txnId) {
        ObjectNode content = JsonNodeFactory.instance.objectNode().put("redacts", eventId.value());
        if (reason != null) {
            content.put("reason", reason);
        }
        String path = "/rooms/" + roomId.value() + "/redact/" + eventId.value();
        return events.append(new EventDraft(roomId, sender, Redactions.TYPE, null, content, txnId, deviceId, path))
                .map(RoomEvent::eventId);
    }

    @Override
    public Mono<EventContext> context(UserId requester, RoomId roomId, EventId eventId, int limit,
            EventFilter filter) {
        return access.scope(requester, roomId).flatMap(scope -> reader.visibleRow(requester, scope, roomId, eventId)
                .switchIfEmpty(Mono.error(() -> MatrixException.notFound("Event not found")))
                .flatMap(row -> {
                    TimelinePosition at = RoomReadAccess.position(row);
                    int beforeLimit = limit / 2;
                    return Mono.zip(reader.around(roomId, scope, true, at, beforeLimit, filter),
                            reader.around(roomId, scope, false, at, limit - beforeLimit, filter))
                            .flatMap(pages -> context(requester, scope, row, pages.getT1(), pages.getT2(), filter));
                }));
    }

    @Override
    public Mono<RelationsPage> relations(UserId requester, RoomId roomId, RelationsQuery query) {
        return relations.relations(requester, roomId, query);
    }

    @Override
    public Mono<ThreadsPage> threads(UserId requester, RoomId roomId, boolean participatedOnly,
            TimelinePosition from, int limit) {
        return relations.threads(requester, roomId, participatedOnly, from, limit);
    }

    @Override
    public Mono<RoomEvent> eventAt(UserId requester, RoomId roomId, long ts, boolean forwards) {
        return access.scope(requester, roomId).flatMap(scope -> relationRows
                .closestToTimestamp(roomId.value(), ts, forwards, TIMESTAMP_CANDIDATES)
                .flatMap(rows -> access.visible(requester, scope, rows))
                .flatMap(rows -> Mono.justOrEmpty(rows.stream().findFirst()))
                .map(RoomEvents::of))
                .switchIfEmpty(Mono.error(() -> MatrixException.notFound("No event found")));
    }

    @Override
    public Mono<Void> report(UserId reporter, RoomId roomId, EventId eventId, String reason, Integer score) {
        return store.memberships().find(roomId.value(), reporter.toString())
                .filter(m -> "join".equals(m.membership()))
                .flatMap(m -> access.scope(reporter, roomId))
                .flatMap(scope -> reader.visibleRow(reporter, scope, roomId, eventId))
                .switchIfEmpty(Mono.error(() -> MatrixException.notFound(
                        "The event was not found or you are not joined to the room")))
                .flatMap(row -> reports.insert(roomId.value(), eventId.value(), reporter.toString(), reason, score,
                        clock.millis()));
    }

    @Override
    public Mono<Void> reportRoom(UserId reporter, RoomId roomId, String reason) {
        return store.rooms().find(roomId.value())
                .switchIfEmpty(Mono.error(() -> MatrixException.notFound("The room was not found")))
                .flatMap(room -> contentReports.reportRoom(roomId.value(), reporter.toString(), reason,
                        clock.millis()));
    }

    @Override
    public Mono<Void> reportUser(UserId reporter, UserId target, String reason) {
        return users.find(target.toString())
                .flatMap(user -> contentReports.reportUser(target.toString(), reporter.toString(), reason,
                        clock.millis()));
    }

    private Mono<EventContext> context(UserId requester, ReadScope scope, EventRow row, List<EventRow> before,
            List<EventRow> after, EventFilter filter) {
        TimelinePosition start = before.isEmpty() ? RoomReadAccess.position(row)
                : RoomReadAccess.position(before.get(before.size() - 1));
        TimelinePosition end = after.isEmpty() ? RoomReadAccess.position(row)
                : RoomReadAccess.position(after.get(after.size() - 1));
        EventRow last = after.isEmpty() ? row : after.get(after.size() - 1);
        return Mono.zip(visibleViews(requester, scope, before), views.of(scope.version(), row),
                visibleViews(requester, scope, after))
                .flatMap(t -> state(scope, last, t.getT2(), t.getT1(), t.getT3(), filter)
                        .map(state -> new EventContext(t.getT1(), t.getT2(), t.getT3(), state, start, end)));
    }

    /** The state at {@code last}: whole, or with lazy loading only the member events of the senders shown. */
    private Mono<List<RoomEvent>> state(ReadScope scope, EventRow last, RoomEvent event, List<RoomEvent> before,
            List<RoomEvent> after, EventFilter filter) {
        if (!scope.stateVisible()) {
            return Mono.just(List.of());
        }
        if (filter.lazyLoadMembers()) {
            List<RoomEvent> shown = new ArrayList<>(before);
            shown.add(event);
            shown.addAll(after);
            return reader.lazyMembers(scope, shown, filter);
        }
        return store.stateGroups().groupOfEvent(last.eventId())
                .flatMap(group -> store.stateGroups().load(group))
                .flatMap(entries -> {
                    Set<String> ids = new LinkedHashSet<>();
                    entries.forEach(e -> ids.add(e.eventId()));
                    return store.events().findAll(ids);
                })
                .flatMap(rows -> views.of(scope.version(), rows))
                .defaultIfEmpty(List.of());
    }

    private Mono<List<RoomEvent>> visibleViews(UserId requester, ReadScope scope, List<EventRow> rows) {
        return access.visible(requester, scope, rows).flatMap(visible -> views.of(scope.version(), visible));
    }
}
