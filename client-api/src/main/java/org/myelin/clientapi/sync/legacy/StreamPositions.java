package org.myelin.clientapi.sync.legacy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.myelin.clientapi.sync.SyncStreamSource;
import org.myelin.clientapi.sync.SyncToken;
import org.myelin.room.api.ClientSyncApi;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Every stream's current position as a /sync token: "now", where a stream starts when the client names no token. */
@Component
public class StreamPositions {

    private final ClientSyncApi syncApi;
    private final List<SyncStreamSource> sources;

    public StreamPositions(ClientSyncApi syncApi, List<SyncStreamSource> sources) {
        this.syncApi = syncApi;
        this.sources = List.copyOf(sources);
    }

    public Mono<SyncToken> now() {
        return Flux.fromIterable(sources).flatMap(s -> s.currentPosition().map(p -> Map.entry(s.name(), p)))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue)
                .zipWith(syncApi.position(), (positions, events) -> {
                    Map<String, Long> all = new HashMap<>(positions);
                    all.put(SyncToken.EVENTS, events);
                    return new SyncToken(all);
                });
    }
}
