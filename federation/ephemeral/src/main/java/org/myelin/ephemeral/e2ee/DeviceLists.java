package org.myelin.ephemeral.e2ee;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongFunction;

import org.myelin.db.e2ee.DeviceListRepository;
import org.myelin.db.e2ee.DeviceListRepository.Change;
import org.myelin.ephemeral.StreamWriter;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Writes the "device_lists" stream: a change of a user's devices or cross-signing keys is recorded in the
 * transaction of the change itself, and published under the user and each room they are joined to, so that every
 * node's long-polls of users sharing a room with them wake at COMMIT. A local user's change is also queued for the
 * other servers in their rooms ({@link DeviceListEdus}); a remote user's change is one their server reported.
 */
@Component
public class DeviceLists {

    /** The stream's name in sync tokens and wake-ups. */
    public static final String STREAM = "device_lists";

    private final StreamWriter writer;
    private final DeviceListRepository changes;
    private final DeviceListEdus edus;

    public DeviceLists(StreamWriter writer, DeviceListRepository changes, DeviceListEdus edus) {
        this.writer = writer;
        this.changes = changes;
        this.edus = edus;
    }

    /**
     * Runs {@code change} (given the stream position it happens at) and records {@code recorded} under it, in one
     * transaction. Emits the position.
     */
    public Mono<Long> record(List<Change> recorded, LongFunction<Mono<?>> change) {
        return writer.write(STREAM, recorded.size(), position -> change.apply(position)
                .then(changes.insert(recorded, position))
                .then(edus.queue(recorded, position))
                .then(scopes(recorded)));
    }

    /** The devices of {@code userId} changed (were deleted, got new keys), with {@code change}. */
    public Mono<Long> devicesChanged(String userId, List<String> deviceIds, Mono<?> change) {
        List<Change> recorded = new ArrayList<>();
        deviceIds.forEach(d -> recorded.add(new Change(userId, d, null)));
        if (recorded.isEmpty()) {
            return change.then(Mono.empty());
        }
        return record(recorded, position -> change);
    }

    private Mono<Set<String>> scopes(List<Change> recorded) {
        Set<String> everyone = new LinkedHashSet<>();
        Set<String> scopes = new LinkedHashSet<>();
        for (Change c : recorded) {
            if (c.visibleTo() == null) {
                everyone.add(c.userId());
            } else {
                scopes.add(c.visibleTo());
            }
        }
        scopes.addAll(everyone);
        return Flux.fromIterable(everyone).concatMap(changes::joinedRooms).collectList().map(rooms -> {
            rooms.forEach(scopes::addAll);
            return scopes;
        });
    }
}
