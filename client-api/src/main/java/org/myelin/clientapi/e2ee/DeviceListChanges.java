package org.myelin.clientapi.e2ee;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.myelin.db.e2ee.DeviceListRepository;
import org.myelin.db.e2ee.DeviceListRepository.MembershipMove;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * Whose device lists a user must re-read between two sync positions ({@code device_lists} of /sync and
 * {@code GET /keys/changes}): {@code changed} holds every user sharing a room with them (themselves included) whose
 * devices or cross-signing keys changed, and every user who newly shares a room with them; {@code left} every user
 * who no longer shares any room with them after a membership moved.
 *
 * <p>NOTSPEC: the spec speaks of encrypted rooms; like Synapse, every shared room counts, so a room that turns on
 * encryption later needs no catch-up.
 */
@Component
public class DeviceListChanges {

    /** The two lists, sorted. */
    public record Changes(Set<String> changed, Set<String> left) {
    }

    private final DeviceListRepository lists;

    public DeviceListChanges(DeviceListRepository lists) {
        this.lists = lists;
    }

    /**
     * The changes {@code viewer} must learn of: device-list changes in {@code (listsSince, listsUpTo]} and
     * membership moves in {@code (eventsSince, eventsUpTo]} of the room events stream.
     */
    public Mono<Changes> between(String viewer, long listsSince, long listsUpTo, long eventsSince, long eventsUpTo) {
        Mono<List<String>> changed = listsUpTo > listsSince
                ? lists.changed(viewer, listsSince, listsUpTo) : Mono.just(List.of());
        Mono<List<MembershipMove>> moves = eventsUpTo > eventsSince
                ? lists.membershipMoves(viewer, eventsSince, eventsUpTo) : Mono.just(List.of());
        return Mono.zip(changed, moves).map(t -> {
            Set<String> changedUsers = new TreeSet<>(t.getT1());
            Set<String> left = new TreeSet<>();
            for (MembershipMove move : t.getT2()) {
                if (move.sharesRoom() && "join".equals(move.membership())) {
                    changedUsers.add(move.userId());
                } else if (!move.sharesRoom() && ("leave".equals(move.membership())
                        || "ban".equals(move.membership()))) {
                    left.add(move.userId());
                }
            }
            left.removeAll(changedUsers);
            left.remove(viewer);
            return new Changes(changedUsers, left);
        });
    }
}
