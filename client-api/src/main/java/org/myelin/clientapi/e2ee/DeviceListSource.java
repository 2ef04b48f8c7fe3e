package org.myelin.clientapi.e2ee;

import org.myelin.clientapi.sync.SyncRequest;
import org.myelin.clientapi.sync.SyncResponseBuilder;
import org.myelin.clientapi.sync.SyncStreamSource;
import org.myelin.db.e2ee.OneTimeKeyRepository;
import org.myelin.db.notify.StreamPosition;
import org.myelin.ephemeral.StreamWriter;
import org.myelin.ephemeral.e2ee.DeviceLists;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * The "device_lists" stream of /sync: {@code device_lists.changed}/{@code left} of an incremental sync
 * ({@link DeviceListChanges}), and on every sync the requesting device's {@code device_one_time_keys_count} and
 * {@code device_unused_fallback_key_types}. A change wakes the long-polls of the changed user and of every member
 * of their rooms (it is published under the user and each of their rooms).
 */
@Component
public class DeviceListSource implements SyncStreamSource {

    private final StreamWriter writer;
    private final DeviceListChanges changes;
    private final OneTimeKeyRepository oneTimeKeys;

    public DeviceListSource(StreamWriter writer, DeviceListChanges changes, OneTimeKeyRepository oneTimeKeys) {
        this.writer = writer;
        this.changes = changes;
        this.oneTimeKeys = oneTimeKeys;
    }

    @Override
    public String name() {
        return DeviceLists.STREAM;
    }

    @Override
    public Mono<Long> currentPosition() {
        return writer.current(DeviceLists.STREAM);
    }

    @Override
    public Mono<Void> contribute(SyncRequest request, long since, long upTo, SyncResponseBuilder out) {
        // An initial sync reports no device lists; a token from before this stream existed (since 0) gets no old
        // changes, only the membership moves since its events position.
        Mono<Void> lists = since == 0 && request.eventsSince() == 0 ? Mono.empty()
                : changes.between(request.userId(), since == 0 ? upTo : since, upTo, request.eventsSince(),
                        request.eventsUpTo())
                        .doOnNext(c -> {
                            c.changed().forEach(out::deviceListChanged);
                            c.left().forEach(out::deviceListLeft);
                        }).then();
        String device = request.deviceId();
        if (device == null) {
            return lists;
        }
        Mono<Void> counts = oneTimeKeys.counts(request.userId(), device)
                .doOnNext(c -> KeyCounts.withDefaults(c).forEach(out::oneTimeKeyCount)).then();
        Mono<Void> fallback = oneTimeKeys.unusedFallbackAlgorithms(request.userId(), device)
                .doOnNext(list -> list.forEach(out::unusedFallbackKeyType)).then();
        return lists.then(counts).then(fallback);
    }

    @Override
    public boolean concerns(StreamPosition position, SyncRequest request) {
        String scope = position.scope();
        return DeviceLists.STREAM.equals(position.stream()) && scope != null
                && (scope.equals(request.userId()) || request.joinedRoomIds().contains(scope));
    }
}
