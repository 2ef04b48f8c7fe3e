package org.myelin.clientapi.ephemeral.presence;

import java.time.Clock;

import org.myelin.clientapi.account.LocalUsers;
import org.myelin.clientapi.auth.Requester;
import org.myelin.clientapi.ephemeral.JoinedRooms;
import org.myelin.db.ephemeral.MembershipQueries;
import org.myelin.db.ephemeral.PresenceRepository;
import org.myelin.ephemeral.presence.PresenceService;
import org.myelin.ephemeral.presence.PresenceSettings;
import org.myelin.ephemeral.presence.PresenceStates;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.http.JsonBodies;
import org.myelin.http.JsonFields;
import org.myelin.http.Responses;
import org.myelin.http.TextLimits;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;

/** Presence status (https://spec.matrix.org/v1.19/client-server-api/#presence). */
@Component
public class PresenceHandler {

    private final JsonBodies bodies;
    private final PresenceService setter;
    private final PresenceRepository presence;
    private final MembershipQueries queries;
    private final PresenceSettings settings;
    private final LocalUsers localUsers;
    private final Clock clock;

    public PresenceHandler(JsonBodies bodies, PresenceService setter, PresenceRepository presence,
            MembershipQueries queries, PresenceSettings settings, LocalUsers localUsers, Clock clock) {
        this.bodies = bodies;
        this.setter = setter;
        this.presence = presence;
        this.queries = queries;
        this.settings = settings;
        this.localUsers = localUsers;
        this.clock = clock;
    }

    /**
     * PUT /_matrix/client/v3/presence/{userId}/status
     * (https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3presenceuseridstatus). Only one's own
     * (403 M_FORBIDDEN); accepted and ignored when presence is disabled.
     */
    public Mono<ServerResponse> setPresence(ServerRequest request, Requester requester) {
        JoinedRooms.requireSelf(request.pathVariable("userId"), requester.userId(), "set presence");
        return bodies.object(request).flatMap(body -> {
            String state = JsonFields.requiredString(body, "presence");
            String statusMsg = JsonFields.optionalString(body, "status_msg", TextLimits.STATUS_MESSAGE);
            return setter.set(requester.userId(), state, statusMsg);
        }).then(Responses.empty());
    }

    /**
     * GET /_matrix/client/v3/presence/{userId}/status
     * (https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3presenceuseridstatus). Visible to the
     * user and to users sharing a joined room with them (403 M_FORBIDDEN otherwise); an unknown local user is 404
     * M_NOT_FOUND.
     */
    public Mono<ServerResponse> getPresence(ServerRequest request, Requester requester) {
        String userId = UserId.parse(request.pathVariable("userId")).toString();
        boolean local = userId.endsWith(":" + localUsers.serverName());
        Mono<Boolean> exists = local ? queries.userExists(userId) : Mono.just(true);
        Mono<Boolean> visible = userId.equals(requester.userId()) ? Mono.just(true)
                : queries.shareRoom(requester.userId(), userId);
        return exists.flatMap(known -> known ? visible
                        : Mono.error(MatrixException.notFound("Unknown user " + userId)))
                .flatMap(allowed -> allowed ? read(userId)
                        : Mono.error(MatrixException.forbidden("You are not allowed to see their presence")))
                .flatMap(Responses::ok);
    }

    private Mono<Object> read(String userId) {
        if (!settings.enabled()) {
            return Mono.just(PresenceStates.offline());
        }
        return presence.find(userId).<Object>map(p -> PresenceStates.content(p, clock.millis()))
                .defaultIfEmpty(PresenceStates.offline());
    }
}
