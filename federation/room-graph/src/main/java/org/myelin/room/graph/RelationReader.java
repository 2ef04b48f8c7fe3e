package org.myelin.room.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.myelin.db.room.RelationQuery;
import org.myelin.db.room.RelationRepository;
import org.myelin.db.room.ThreadRootRow;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.room.api.RelationsPage;
import org.myelin.room.api.RelationsQuery;
import org.myelin.room.api.RoomEvent;
import org.myelin.room.api.ThreadsPage;
import org.myelin.room.api.TimelinePosition;

import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/**
 * GET /relations and GET /threads: the children of an event (and, with recurse, theirs up to
 * {@link #RECURSION_DEPTH} levels), and the room's thread roots with their {@code m.thread} aggregation. The
 * parent must be visible (404 otherwise); children and roots are filtered by history visibility like any read.
 */
final class RelationReader {

    /** How deep recurse=true follows relations; the spec asks for at least 3. */
    static final int RECURSION_DEPTH = 3;

    private final RoomReadAccess access;
    private final RoomReader reader;
    private final ClientViews views;
    private final RelationRepository relations;

    RelationReader(RoomReadAccess access, RoomReader reader, ClientViews views, RelationRepository relations) {
        this.access = access;
        this.reader = reader;
        this.views = views;
        this.relations = relations;
    }

    Mono<RelationsPage> relations(UserId user, RoomId roomId, RelationsQuery q) {
        return access.scope(user, roomId).flatMap(scope -> reader.visibleRow(user, scope, roomId, q.eventId())
                .switchIfEmpty(Mono.error(() -> MatrixException.notFound("Event not found")))
                .flatMap(parent -> {
                    int depth = Boolean.TRUE.equals(q.recurse()) ? RECURSION_DEPTH : 1;
                    TimelinePosition from = q.from() != null ? q.from()
                            : q.backwards() ? TimelinePosition.END : TimelinePosition.START;
                    TimelinePosition to = q.to();
                    return relations.children(new RelationQuery(roomId.value(), parent.eventId(), q.relType(),
                            q.eventType(), depth, q.backwards(), from.topological(), from.stream(),
                            to == null ? null : to.topological(), to == null ? null : to.stream(), q.limit()))
                            .flatMap(rows -> {
                                TimelinePosition next = rows.size() < q.limit() || rows.isEmpty() ? null
                                        : RoomReadAccess.position(rows.get(rows.size() - 1));
                                return access.visible(user, scope, rows)
                                        .flatMap(visible -> views.of(scope.version(), visible))
                                        .map(chunk -> new RelationsPage(chunk, next, q.from(),
                                                q.recurse() == null ? null : depth));
                            });
                }));
    }

    Mono<ThreadsPage> threads(UserId user, RoomId roomId, boolean participatedOnly, TimelinePosition from,
            int limit) {
        TimelinePosition start = from == null ? TimelinePosition.END : from;
        return access.scope(user, roomId).flatMap(scope -> relations.threadRoots(roomId.value(), user.toString(),
                participatedOnly, start.topological(), start.stream(), limit).flatMap(rows -> {
                    TimelinePosition next = rows.size() < limit || rows.isEmpty() ? null
                            : RoomReadAccess.position(rows.get(rows.size() - 1).latest());
                    Map<String, ThreadRootRow> byRoot = new HashMap<>();
                    rows.forEach(r -> byRoot.put(r.root().eventId(), r));
                    return access.visible(user, scope, rows.stream().map(ThreadRootRow::root).toList())
                            .flatMap(visible -> views.of(scope.version(), visible))
                            .flatMap(roots -> withAggregations(scope, roots, byRoot))
                            .map(chunk -> new ThreadsPage(chunk, next));
                }));
    }

    /** Adds {@code unsigned.m.relations.m.thread} (latest event, count, participation) to each root. */
    private Mono<List<RoomEvent>> withAggregations(ReadScope scope, List<RoomEvent> roots,
            Map<String, ThreadRootRow> byRoot) {
        List<ThreadRootRow> rows = roots.stream().map(r -> byRoot.get(r.eventId().value())).toList();
        return views.of(scope.version(), rows.stream().map(ThreadRootRow::latest).toList()).map(latest -> {
            List<RoomEvent> out = new ArrayList<>(roots.size());
            for (int i = 0; i < roots.size(); i++) {
                RoomEvent root = roots.get(i);
                ThreadRootRow row = rows.get(i);
                ObjectNode json = (ObjectNode) EventBuilder.parse(root.json(), scope.version());
                ObjectNode thread = json.withObjectProperty("unsigned").withObjectProperty("m.relations")
                        .putObject("m.thread");
                thread.set("latest_event", ClientViews.clientShape(row.latest().eventId(),
                        EventBuilder.parse(latest.get(i).json(), scope.version())));
                thread.put("count", row.replies());
                thread.put("current_user_participated", row.participated());
                out.add(new RoomEvent(root.eventId(), root.roomId(), json.toString(), root.position(),
                        root.txnId(), root.senderDeviceId()));
            }
            return out;
        });
    }
}
