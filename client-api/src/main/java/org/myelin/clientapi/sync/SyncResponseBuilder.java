package org.myelin.clientapi.sync;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.node.ObjectNode;

/**
 * Collects the non-timeline parts of a /sync response that {@link SyncStreamSource}s contribute: top-level
 * account_data, presence, to_device, device_lists and the device's key counts, and per-room ephemeral events and account data. The sync
 * assembler owns the rooms' timeline/state sections and renders the whole response. Sources may run concurrently,
 * so every method is synchronized.
 */
public final class SyncResponseBuilder {

    private final List<ObjectNode> accountData = new ArrayList<>();
    private final List<ObjectNode> presence = new ArrayList<>();
    private final List<ObjectNode> toDevice = new ArrayList<>();
    private final Set<String> deviceListsChanged = new LinkedHashSet<>();
    private final Set<String> deviceListsLeft = new LinkedHashSet<>();
    private final Map<String, List<ObjectNode>> roomEphemeral = new LinkedHashMap<>();
    private final Map<String, List<ObjectNode>> roomAccountData = new LinkedHashMap<>();
    private final Map<String, Long> oneTimeKeyCounts = new LinkedHashMap<>();
    private final List<String> unusedFallbackKeyTypes = new ArrayList<>();
    private final Map<String, Long> heldBack = new LinkedHashMap<>();
    private final Set<String> newlyJoinedRooms = new LinkedHashSet<>();
    private final Map<String, ObjectNode> roomUnread = new LinkedHashMap<>();
    private final Map<String, ObjectNode> roomThreadUnread = new LinkedHashMap<>();
    private final Set<String> unreadChanged = new LinkedHashSet<>();

    /** A global account data event ({@code {"type": ..., "content": ...}}). */
    public synchronized void addAccountData(ObjectNode event) {
        accountData.add(event);
    }

    /** An m.presence event ({@code {"type": "m.presence", "sender": ..., "content": ...}}). */
    public synchronized void addPresence(ObjectNode event) {
        presence.add(event);
    }

    /** A to-device event ({@code {"type", "sender", "content"}}). */
    public synchronized void addToDevice(ObjectNode event) {
        toDevice.add(event);
    }

    /** A user whose devices or keys changed. */
    public synchronized void deviceListChanged(String userId) {
        deviceListsChanged.add(userId);
    }

    /** A user who no longer shares an encrypted room with the syncing user. */
    public synchronized void deviceListLeft(String userId) {
        deviceListsLeft.add(userId);
    }

    /** An ephemeral event (m.typing, m.receipt) of a joined room. */
    public synchronized void addRoomEphemeral(String roomId, ObjectNode event) {
        roomEphemeral.computeIfAbsent(roomId, k -> new ArrayList<>()).add(event);
    }

    /** A per-room account data event (m.tag, m.fully_read, ...). */
    public synchronized void addRoomAccountData(String roomId, ObjectNode event) {
        roomAccountData.computeIfAbsent(roomId, k -> new ArrayList<>()).add(event);
    }

    /** A room the user newly joined (reported as on an initial sync), for the sources to complete. */
    public synchronized void newlyJoined(String roomId) {
        newlyJoinedRooms.add(roomId);
    }

    public synchronized Set<String> newlyJoinedRooms() {
        return Set.copyOf(newlyJoinedRooms);
    }

    /**
     * A joined room's {@code unread_notifications} and, when the filter asked for them and a thread has any,
     * {@code unread_thread_notifications} (null otherwise). Rooms without an entry have no unread notifications.
     */
    public synchronized void roomUnread(String roomId, ObjectNode unread, ObjectNode threadUnread) {
        roomUnread.put(roomId, unread);
        if (threadUnread != null) {
            roomThreadUnread.put(roomId, threadUnread);
        }
    }

    /** A joined room whose unread counts changed, so an incremental sync reports it even with nothing else new. */
    public synchronized void unreadChanged(String roomId) {
        unreadChanged.add(roomId);
    }

    public synchronized ObjectNode roomUnread(String roomId) {
        return roomUnread.get(roomId);
    }

    public synchronized ObjectNode roomThreadUnread(String roomId) {
        return roomThreadUnread.get(roomId);
    }

    public synchronized Set<String> unreadChanged() {
        return Set.copyOf(unreadChanged);
    }

    /** The requesting device's count of unclaimed one-time keys of {@code algorithm}. */
    public synchronized void oneTimeKeyCount(String algorithm, long count) {
        oneTimeKeyCounts.put(algorithm, count);
    }

    /** An algorithm of which the requesting device has an unused fallback key. */
    public synchronized void unusedFallbackKeyType(String algorithm) {
        unusedFallbackKeyTypes.add(algorithm);
    }

    /**
     * The stream reported only up to {@code position} (e.g. the first 100 to-device messages), so the next token
     * carries that position instead of the stream's current one and the next sync reports the rest.
     */
    public synchronized void holdBack(String stream, long position) {
        heldBack.merge(stream, position, Math::min);
    }

    public synchronized List<ObjectNode> accountData() {
        return List.copyOf(accountData);
    }

    public synchronized List<ObjectNode> presence() {
        return List.copyOf(presence);
    }

    public synchronized List<ObjectNode> toDevice() {
        return List.copyOf(toDevice);
    }

    public synchronized Set<String> deviceListsChanged() {
        return Set.copyOf(deviceListsChanged);
    }

    public synchronized Set<String> deviceListsLeft() {
        return Set.copyOf(deviceListsLeft);
    }

    public synchronized Map<String, Long> oneTimeKeyCounts() {
        return Map.copyOf(oneTimeKeyCounts);
    }

    public synchronized List<String> unusedFallbackKeyTypes() {
        return List.copyOf(unusedFallbackKeyTypes);
    }

    /** The positions streams were held back to. */
    public synchronized Map<String, Long> heldBack() {
        return Map.copyOf(heldBack);
    }

    /** Ephemeral events by room. */
    public synchronized Map<String, List<ObjectNode>> roomEphemeral() {
        return Map.copyOf(roomEphemeral);
    }

    /** Per-room account data by room. */
    public synchronized Map<String, List<ObjectNode>> roomAccountData() {
        return Map.copyOf(roomAccountData);
    }

    /** True when no source contributed anything (an incremental sync may then keep waiting). */
    public synchronized boolean isEmpty() {
        return accountData.isEmpty() && presence.isEmpty() && toDevice.isEmpty() && deviceListsChanged.isEmpty()
                && deviceListsLeft.isEmpty() && roomEphemeral.isEmpty() && roomAccountData.isEmpty()
                && unreadChanged.isEmpty();
    }
}
