package org.myelin.room.graph;

import java.util.List;
import java.util.Optional;

import org.myelin.db.room.EventRow;
import org.myelin.db.room.MembershipRow;
import org.myelin.db.room.RoomRow;
import org.myelin.db.room.StateKey;
import org.myelin.federation.protocol.auth.AuthEvent;
import org.myelin.federation.protocol.auth.JoinAuthoriser;
import org.myelin.federation.protocol.auth.JoinRules;
import org.myelin.federation.protocol.auth.Membership;
import org.myelin.federation.protocol.auth.PowerLevels;
import org.myelin.federation.protocol.auth.RoomCreate;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.federation.protocol.room.RoomVersion;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Joins to restricted rooms (client-server "Restricted rooms", server-server "Restricted rooms"): whether a user
 * may join because they are in one of the rooms the join rule allows, as this server knows those rooms, and which
 * of this server's members vouches for the join as {@code join_authorised_via_users_server}. Used for local joins
 * and for the templates and joins this server answers as a resident.
 */
final class RestrictedJoins {

    /** The member event's key naming the authorising user. */
    static final String AUTHORISER_KEY = "join_authorised_via_users_server";

    private static final List<StateKey> KEYS = List.of(new StateKey(RoomCreate.TYPE, ""),
            new StateKey(PowerLevels.TYPE, ""), new StateKey(JoinRules.TYPE, ""));

    private final RoomStore store;
    private final ServerName self;

    RestrictedJoins(RoomStore store, ServerName self) {
        this.store = store;
        this.self = self;
    }

    /**
     * The user of this server to name as {@code join_authorised_via_users_server} for {@code user}'s join, or empty
     * when the join needs none (the room is not restricted, or the user is invited or joined already). Fails with
     * {@code 403 M_FORBIDDEN} when the user is in none of the allowed rooms, {@code 400 M_UNABLE_TO_AUTHORISE_JOIN}
     * when this server is in none of them (it cannot tell), and {@code 400 M_UNABLE_TO_GRANT_JOIN} when no member of
     * this server may invite.
     */
    Mono<Optional<String>> authoriser(RoomId roomId, UserId user) {
        return store.rooms().find(roomId.value()).flatMap(room -> {
            RoomVersion version = RoomPowers.version(room);
            if (!version.restrictedJoinAllowed()) {
                return Mono.just(Optional.<String>empty());
            }
            return store.currentState().events(room.roomId(), KEYS)
                    .zipWith(store.memberships().find(room.roomId(), user.toString()).map(Optional::of)
                            .defaultIfEmpty(Optional.empty()))
                    .flatMap(both -> decide(room, version, both.getT1(), both.getT2(), user));
        }).defaultIfEmpty(Optional.empty());
    }

    private Mono<Optional<String>> decide(RoomRow room, RoomVersion version, List<EventRow> state,
            Optional<MembershipRow> current, UserId user) {
        JoinRules rules = JoinRules.of(RoomPowers.view(state, JoinRules.TYPE, version), version);
        Optional<Membership> membership = current.flatMap(m -> Membership.parse(m.membership(), version));
        if (!JoinAuthoriser.needed(rules, membership)) {
            return Mono.just(Optional.empty());
        }
        List<String> allowed = JoinAuthoriser.allowedRooms(rules);
        return Flux.fromIterable(allowed)
                .concatMap(allowedRoom -> store.rooms().find(allowedRoom).map(known -> allowedRoom))
                .collectList()
                .flatMap(known -> {
                    if (known.isEmpty()) {
                        return Mono.error(new MatrixException(ErrCode.M_UNABLE_TO_AUTHORISE_JOIN,
                                "This server is in none of the rooms whose members may join " + room.roomId()));
                    }
                    return Flux.fromIterable(known)
                            .concatMap(allowedRoom -> store.memberships().find(allowedRoom, user.toString()))
                            .filter(m -> Membership.JOIN.value().equals(m.membership()))
                            .hasElements();
                })
                .flatMap(member -> member ? pick(room, version, state)
                        : Mono.error(MatrixException.forbidden(user + " is in none of the rooms whose members may "
                                + "join " + room.roomId())));
    }

    private Mono<Optional<String>> pick(RoomRow room, RoomVersion version, List<EventRow> state) {
        AuthEvent create = RoomPowers.view(state, RoomCreate.TYPE, version);
        PowerLevels levels = PowerLevels.of(RoomPowers.view(state, PowerLevels.TYPE, version),
                RoomCreate.of(create, version), version);
        return store.memberships().members(room.roomId()).map(members -> members.stream()
                        .filter(m -> Membership.JOIN.value().equals(m.membership())).map(MembershipRow::userId)
                        .toList())
                .map(joined -> JoinAuthoriser.pick(levels, joined, self.value()))
                .flatMap(picked -> picked.isPresent() ? Mono.just(picked)
                        : Mono.error(new MatrixException(ErrCode.M_UNABLE_TO_GRANT_JOIN,
                                "No member of this server may invite to " + room.roomId())));
    }
}
