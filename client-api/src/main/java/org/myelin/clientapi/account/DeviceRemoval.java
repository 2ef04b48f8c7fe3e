package org.myelin.clientapi.account;

import java.util.Collection;
import java.util.List;

import org.myelin.db.account.DeviceRepository;
import org.myelin.db.account.DeviceRow;
import org.myelin.ephemeral.e2ee.DeviceLists;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * Removes devices (logout, device deletion, password change, deactivation): the devices, their tokens and their
 * end-to-end encryption keys go in one transaction that also records a device-list change, so everyone sharing a
 * room with the user learns the devices are gone.
 */
@Component
public class DeviceRemoval {

    private final DeviceRepository devices;
    private final DeviceLists deviceLists;

    public DeviceRemoval(DeviceRepository devices, DeviceLists deviceLists) {
        this.devices = devices;
        this.deviceLists = deviceLists;
    }

    /** Removes those of {@code deviceIds} the user has. */
    public Mono<Void> remove(String userId, Collection<String> deviceIds) {
        return existing(userId).flatMap(ids -> deviceLists.devicesChanged(userId,
                ids.stream().filter(deviceIds::contains).toList(), devices.delete(userId, deviceIds))).then();
    }

    /** Removes every device and token of the user. */
    public Mono<Void> removeAll(String userId) {
        return existing(userId).flatMap(ids -> deviceLists.devicesChanged(userId, ids, devices.deleteAll(userId)))
                .then();
    }

    private Mono<List<String>> existing(String userId) {
        return devices.list(userId).map(rows -> rows.stream().map(DeviceRow::deviceId).toList());
    }
}
