package org.myelin.room.api;

import java.util.List;
import java.util.Map;

import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.search.SearchToken;

/**
 * A page of search results.
 *
 * @param count      how many events match the term in the rooms searched, before history visibility (the spec's
 *                   approximate count)
 * @param highlights the words of the results that match the term, for clients to highlight
 * @param hits       the results, in the order asked for
 * @param state      for each room of the results, its state as the user may see it (when asked for)
 * @param next       where the next page starts, or null when there are no more results
 */
public record SearchPage(long count, List<String> highlights, List<Hit> hits, Map<RoomId, List<RoomEvent>> state,
        SearchToken next) {

    public SearchPage {
        highlights = List.copyOf(highlights);
        hits = List.copyOf(hits);
        state = Map.copyOf(state);
    }

    /**
     * One result.
     *
     * @param rank    how well it matches (higher is closer)
     * @param context the events around it, or null when none were asked for
     */
    public record Hit(RoomEvent event, float rank, HitContext context) {
    }

    /**
     * The events around a result, as /context returns them.
     *
     * @param before   visible events before it, newest first
     * @param after    visible events after it, oldest first
     * @param start    a /messages token to paginate backwards from
     * @param end      a /messages token to paginate forwards from
     * @param profiles the senders' profiles in the room at the last event returned, or null when not asked for
     */
    public record HitContext(List<RoomEvent> before, List<RoomEvent> after, TimelinePosition start,
            TimelinePosition end, Map<String, MemberProfile> profiles) {

        public HitContext {
            before = List.copyOf(before);
            after = List.copyOf(after);
            profiles = profiles == null ? null : Map.copyOf(profiles);
        }
    }

    /** A room member's display name and avatar URL, each null when their member event has none. */
    public record MemberProfile(String displayname, String avatarUrl) {
    }
}
