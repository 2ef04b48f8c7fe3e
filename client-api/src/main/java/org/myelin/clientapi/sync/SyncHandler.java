package org.myelin.clientapi.sync;

import java.time.Duration;

import org.myelin.clientapi.auth.Requester;
import org.myelin.ephemeral.presence.PresenceService;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.http.QueryParams;
import org.myelin.http.Responses;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;

/**
 * GET /_matrix/client/v3/sync (https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3sync): reads
 * the query parameters and hands over to {@link SyncService}. A malformed {@code since}, {@code timeout},
 * {@code full_state} or {@code use_state_after} ({@link StateSection}) is 400 M_INVALID_PARAM; the timeout is capped at five minutes. {@code set_presence} is applied
 * before an incremental sync is computed, and after an initial one (NOTSPEC, as Synapse behaves where syncs are
 * served apart from presence): the user's coming online then lands after the initial sync's token, so the
 * client's first incremental sync returns at once with it instead of long-polling for its whole timeout, which
 * clients show as "Connecting…" after every login.
 */
@Component
public class SyncHandler {

    /** The longest a long-poll may wait, whatever the client asks for. */
    static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);

    private final SyncService sync;
    private final SyncFilters filters;
    private final PresenceService presence;

    public SyncHandler(SyncService sync, SyncFilters filters, PresenceService presence) {
        this.sync = sync;
        this.filters = filters;
        this.presence = presence;
    }

    public Mono<ServerResponse> sync(ServerRequest request, Requester requester) {
        SyncToken since;
        Duration timeout;
        boolean fullState;
        StateSection stateSection;
        try {
            since = request.queryParam("since").filter(s -> !s.isEmpty()).map(SyncToken::parse).orElse(null);
            timeout = timeout(request.queryParam("timeout").orElse(null));
            fullState = QueryParams.bool(request, "full_state");
            stateSection = StateSection.of(request);
        } catch (MatrixException e) {
            return Mono.error(e);
        }
        Mono<Void> setPresence = presence.setFromSync(requester.userId(),
                request.queryParam("set_presence").orElse(null));
        Mono<SyncResult> computed = filters.resolve(requester.userId(), request.queryParam("filter").orElse(null))
                .flatMap(filter -> sync.sync(requester, filter, since, fullState, stateSection, timeout));
        Mono<SyncResult> result = since == null ? computed.flatMap(r -> setPresence.thenReturn(r))
                : setPresence.then(computed);
        return result.flatMap(r -> Responses.ok(r.body()));
    }

    /**
     * A {@code timeout} query parameter in milliseconds, capped at {@link #MAX_TIMEOUT}; zero when absent, 400
     * M_INVALID_PARAM when not a non-negative integer. The deprecated /events reads its timeout the same way.
     */
    public static Duration timeout(String value) {
        if (value == null || value.isEmpty()) {
            return Duration.ZERO;
        }
        if (value.length() > 12 || !value.chars().allMatch(Character::isDigit)) {
            throw MatrixException.invalidParam("timeout must be a non-negative integer of milliseconds");
        }
        Duration asked = Duration.ofMillis(Long.parseLong(value));
        return asked.compareTo(MAX_TIMEOUT) > 0 ? MAX_TIMEOUT : asked;
    }
}
