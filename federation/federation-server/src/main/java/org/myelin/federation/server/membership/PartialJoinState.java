package org.myelin.federation.server.membership;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.myelin.db.room.EventRow;
import org.myelin.federation.protocol.id.UserId;

import tools.jackson.databind.JsonNode;

/**
 * A {@code send_join} answer for a joining server that asked for partial state ({@code omit_members=true}, v1.6):
 * the state before the join without membership events, except those of the room's heroes when it has neither a
 * name nor a canonical alias (so the joiner can name it) and the joiner's own; and the servers with joined members.
 *
 * @param kept          the state events to send
 * @param serversInRoom the servers of the members joined before the join, sorted
 */
record PartialJoinState(List<EventRow> kept, List<String> serversInRoom) {

    private static final String MEMBER = "m.room.member";
    private static final int HEROES = 5;

    /** @param parsed each state row's event, as parsed for the answer (same order as {@code state}) */
    static PartialJoinState of(List<EventRow> state, List<JsonNode> parsed, String joiner) {
        boolean named = state.stream().anyMatch(row -> "".equals(row.stateKey())
                && ("m.room.name".equals(row.type()) || "m.room.canonical_alias".equals(row.type())));
        Set<String> servers = new TreeSet<>();
        List<EventRow> heroCandidates = new ArrayList<>();
        List<EventRow> kept = new ArrayList<>();
        for (int i = 0; i < state.size(); i++) {
            EventRow row = state.get(i);
            if (!MEMBER.equals(row.type())) {
                kept.add(row);
                continue;
            }
            String membership = parsed.get(i).path("content").path("membership").stringValue("");
            if ("join".equals(membership)) {
                servers.add(UserId.parse(row.stateKey()).server().value());
            }
            if (row.stateKey().equals(joiner)) {
                kept.add(row);
            } else if (!named && ("join".equals(membership) || "invite".equals(membership))) {
                heroCandidates.add(row);
            }
        }
        heroCandidates.stream().sorted(Comparator.comparingLong(EventRow::streamOrdering)).limit(HEROES)
                .forEach(kept::add);
        return new PartialJoinState(List.copyOf(kept), List.copyOf(servers));
    }
}
