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
 * account_data, presence, to_device and device_lists, and per-room ephemeral events and account data. The sync
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
                && deviceListsLeft.isEmpty() && roomEphemeral.isEmpty() && roomAccountData.isEmpty();
    }
}
