package org.myelin.clientapi.sync;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.stereotype.Component;

/**
 * Which member events each device was sent while lazy-loading members, so that /sync can leave out the redundant
 * ones (https://spec.matrix.org/v1.19/client-server-api/#lazy-loading-room-members) as Synapse does with its
 * per-(user, device) cache. Each entry remembers the events position of the response that carried the event, and
 * counts as seen only by a later sync whose {@code since} is at or after that position: a client that goes back to
 * an older token (a reload from its store, a lost response) is sent the member again. An initial sync forgets the
 * device's entries.
 *
 * <p>Kept in memory on each node, bounded in devices and in entries per device (least recently used first out).
 * A sync served by a node that does not know the device, or that has forgotten an entry, sends the member again:
 * redundant, which the spec allows, never missing.
 */
@Component
public class LazyMembers {

    /** Devices remembered on this node. */
    static final int DEVICES = 10_000;
    /** Member events remembered per device (across its rooms). */
    static final int MEMBERS_PER_DEVICE = 5_000;

    private final Map<String, Map<String, Sent>> devices = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Map<String, Sent>> eldest) {
            return size() > DEVICES;
        }
    };

    /** Forgets what the device was sent (an initial sync starts it afresh). */
    public synchronized void reset(String userId, String deviceId) {
        devices.remove(device(userId, deviceId));
    }

    /**
     * Whether the device was sent {@code eventId} as {@code member}'s member event in {@code roomId} by a response
     * it has since acknowledged by syncing from {@code since}.
     */
    public synchronized boolean seen(String userId, String deviceId, String roomId, String member, String eventId,
            long since) {
        Map<String, Sent> sent = devices.get(device(userId, deviceId));
        Sent entry = sent == null ? null : sent.get(key(roomId, member));
        return entry != null && entry.eventId().equals(eventId) && entry.position() <= since;
    }

    /** Records that the response reaching events position {@code position} carries this member event. */
    public synchronized void sent(String userId, String deviceId, String roomId, String member, String eventId,
            long position) {
        devices.computeIfAbsent(device(userId, deviceId), d -> new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Sent> eldest) {
                return size() > MEMBERS_PER_DEVICE;
            }
        }).put(key(roomId, member), new Sent(eventId, position));
    }

    private static String device(String userId, String deviceId) {
        return userId + '\n' + deviceId;
    }

    private static String key(String roomId, String member) {
        return roomId + '\n' + member;
    }

    /** One member event sent, and the events position of the response that carried it. */
    private record Sent(String eventId, long position) {
    }
}
