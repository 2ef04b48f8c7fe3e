package org.myelin.room.graph;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.myelin.db.room.EventRow;
import org.myelin.db.room.StateEntry;
import org.myelin.federation.protocol.auth.Membership;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.federation.protocol.room.RoomVersions;
import org.myelin.room.api.EventFilter;
import org.myelin.room.api.SearchPage.HitContext;
import org.myelin.room.api.SearchPage.MemberProfile;
import org.myelin.room.api.SearchRequest.ContextRequest;
import org.myelin.room.api.TimelinePosition;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The {@code event_context} of a search result: the visible events just before and after it (unfiltered, as
 * Synapse returns them, and never past the end of a former member's scope), /messages tokens at both ends, and
 * on request the senders' profiles from their member events in the state after the last event returned.
 */
final class SearchContexts {

    private final RoomStore store;
    private final RoomReadAccess access;
    private final RoomReader reader;
    private final ClientViews views;

    SearchContexts(RoomStore store, RoomReadAccess access, RoomReader reader, ClientViews views) {
        this.store = store;
        this.access = access;
        this.reader = reader;
        this.views = views;
    }

    Mono<HitContext> of(UserId user, ReadScope scope, EventRow row, ContextRequest request) {
        RoomId roomId = new RoomId(row.roomId());
        TimelinePosition at = RoomReadAccess.position(row);
        return Mono.zip(visible(user, scope, reader.around(roomId, scope, true, at, request.before(),
                        EventFilter.NONE)),
                visible(user, scope, reader.around(roomId, scope, false, at, request.after(), EventFilter.NONE)))
                .flatMap(t -> {
                    List<EventRow> before = t.getT1();
                    List<EventRow> after = t.getT2();
                    EventRow last = after.isEmpty() ? row : after.get(after.size() - 1);
                    TimelinePosition start = before.isEmpty() ? at
                            : RoomReadAccess.position(before.get(before.size() - 1));
                    Mono<Map<String, MemberProfile>> profiles = request.includeProfile()
                            ? profiles(last, senders(before, row, after)) : Mono.just(Map.of());
                    return Mono.zip(views.of(scope.version(), before), views.of(scope.version(), after), profiles)
                            .map(v -> new HitContext(v.getT1(), v.getT2(), start, RoomReadAccess.position(last),
                                    request.includeProfile() ? v.getT3() : null));
                });
    }

    private Mono<List<EventRow>> visible(UserId user, ReadScope scope, Mono<List<EventRow>> rows) {
        return rows.flatMap(r -> access.visible(user, scope, r));
    }

    private static Set<String> senders(List<EventRow> before, EventRow row, List<EventRow> after) {
        Set<String> senders = new LinkedHashSet<>();
        before.forEach(e -> senders.add(e.sender()));
        senders.add(row.sender());
        after.forEach(e -> senders.add(e.sender()));
        return senders;
    }

    /** The display name and avatar of each sender's member event in the state after {@code last} (as Synapse). */
    private Mono<Map<String, MemberProfile>> profiles(EventRow last, Set<String> senders) {
        return store.stateGroups().groupOfEvent(last.eventId())
                .flatMap(group -> store.stateGroups().load(group, Membership.TYPE, senders))
                .flatMap(entries -> store.events().findAll(entries.stream().map(StateEntry::eventId).toList()))
                .map(SearchContexts::profiles)
                .defaultIfEmpty(Map.of());
    }

    private static Map<String, MemberProfile> profiles(List<EventRow> members) {
        Map<String, MemberProfile> profiles = new HashMap<>();
        for (EventRow member : members) {
            JsonNode content = EventBuilder.parse(member.json(), RoomVersions.V1).path("content");
            profiles.put(member.stateKey(), new MemberProfile(text(content, "displayname"),
                    text(content, "avatar_url")));
        }
        return profiles;
    }

    private static String text(JsonNode content, String field) {
        JsonNode value = content.get(field);
        return value != null && value.isString() ? value.stringValue() : null;
    }
}
