package org.myelin.clientapi.slidingsync;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.myelin.clientapi.push.notify.UnreadCountsSource.Counts;

import tools.jackson.databind.ObjectMapper;

/**
 * What a sliding sync connection has been sent, as one response left it (Synapse's per-connection state). For
 * each of three streams (rooms, room account data, receipts) a room is either never sent, sent and live (the
 * client has everything up to the position its request names), or previously sent up to a position with updates
 * pending since. Each sent room also keeps the config it was last sent with (membership, timeline limit,
 * required_state, lazily loaded members, unread counts), and each list the count last sent.
 *
 * @param rooms       per room: {@link #LIVE}, or the events position it was last brought up to
 * @param accountData per room: the same for room account data (account data stream positions)
 * @param receipts    per room: the same for receipts (receipt stream positions)
 * @param sent        per sent room, what it was sent with
 * @param listCounts  per list, the count last sent
 */
record ConnectionState(Map<String, Long> rooms, Map<String, Long> accountData, Map<String, Long> receipts,
        Map<String, SentRoom> sent, Map<String, Integer> listCounts) {

    /** The status of a room sent with everything up to the request's position. */
    static final long LIVE = -1;

    /** A connection that has been sent nothing. */
    static final ConnectionState EMPTY = new ConnectionState(Map.of(), Map.of(), Map.of(), Map.of(), Map.of());

    /**
     * What a room was last sent with.
     *
     * @param membership    the user's membership then
     * @param timelineLimit the timeline limit it counts as sent with
     * @param requiredState the required_state it was sent with
     * @param lazyMembers   the members whose events lazy loading sent (at most {@link #MAX_LAZY_MEMBERS})
     * @param counts        the notification and highlight counts it was last sent with
     */
    record SentRoom(String membership, int timelineLimit, RequiredState requiredState, Set<String> lazyMembers,
            Counts counts) {

        /** As Synapse, at most this many lazily loaded members are remembered per room. */
        static final int MAX_LAZY_MEMBERS = 100;

        SentRoom {
            lazyMembers = Set.copyOf(lazyMembers);
            counts = counts == null ? Counts.NONE : counts;
        }
    }

    ConnectionState {
        rooms = Map.copyOf(rooms);
        accountData = Map.copyOf(accountData);
        receipts = Map.copyOf(receipts);
        sent = Map.copyOf(sent);
        listCounts = Map.copyOf(listCounts);
    }

    /** A copy to record a response's changes into. */
    Builder toBuilder() {
        return new Builder(this);
    }

    /** The stored form: required_state configs listed once, rooms pointing at them. */
    String toJson(ObjectMapper mapper) {
        List<RequiredState> shapes = new ArrayList<>();
        Map<RequiredState, Integer> index = new HashMap<>();
        Map<String, StoredRoom> stored = new LinkedHashMap<>();
        sent.forEach((roomId, room) -> stored.put(roomId, new StoredRoom(room.membership(), room.timelineLimit(),
                index.computeIfAbsent(room.requiredState(), shape -> {
                    shapes.add(shape);
                    return shapes.size() - 1;
                }), room.lazyMembers(), room.counts())));
        return mapper.writeValueAsString(new Stored(rooms, accountData, receipts, listCounts, shapes, stored));
    }

    static ConnectionState fromJson(ObjectMapper mapper, String json) {
        Stored stored = mapper.readValue(json, Stored.class);
        Map<String, SentRoom> sent = new HashMap<>();
        stored.sent().forEach((roomId, room) -> sent.put(roomId, new SentRoom(room.membership(),
                room.timelineLimit(), stored.shapes().get(room.shape()), room.lazyMembers(), room.counts())));
        return new ConnectionState(stored.rooms(), stored.accountData(), stored.receipts(), sent,
                stored.listCounts());
    }

    private record Stored(Map<String, Long> rooms, Map<String, Long> accountData, Map<String, Long> receipts,
            Map<String, Integer> listCounts, List<RequiredState> shapes, Map<String, StoredRoom> sent) {
    }

    /** {@code counts} is null in a state stored before counts were kept: taken as none sent. */
    private record StoredRoom(String membership, int timelineLimit, int shape, Set<String> lazyMembers,
            Counts counts) {
    }

    /** The three per-room streams a connection tracks. */
    enum Stream { ROOMS, ACCOUNT_DATA, RECEIPTS }

    /** The stream's statuses. */
    Map<String, Long> of(Stream stream) {
        return switch (stream) {
            case ROOMS -> rooms;
            case ACCOUNT_DATA -> accountData;
            case RECEIPTS -> receipts;
        };
    }

    /** The changes one response makes to the state it started from; rooms may be recorded concurrently. */
    static final class Builder {

        private final Map<Stream, Map<String, Long>> streams = new EnumMap<>(Stream.class);
        private final Map<String, SentRoom> sent;
        private final Map<String, Integer> listCounts;

        private Builder(ConnectionState from) {
            for (Stream stream : Stream.values()) {
                streams.put(stream, new HashMap<>(from.of(stream)));
            }
            sent = new HashMap<>(from.sent);
            listCounts = new HashMap<>(from.listCounts);
        }

        /** A room sent in this response, with what it was sent with; it is live in the rooms stream. */
        synchronized void sent(String roomId, SentRoom room) {
            sent.put(roomId, room);
            streams.get(Stream.ROOMS).put(roomId, LIVE);
        }

        synchronized void listCounts(Map<String, Integer> counts) {
            listCounts.clear();
            listCounts.putAll(counts);
        }

        /** The rooms are live in {@code stream}: sent with everything up to the response's position. */
        synchronized void markSent(Stream stream, Collection<String> roomIds) {
            roomIds.forEach(roomId -> streams.get(stream).put(roomId, LIVE));
        }

        /**
         * The rooms had updates up to the response's position that were not sent: a live one is now sent up to
         * {@code sentUpTo}; one never sent stays never sent; one already behind keeps its older position.
         */
        synchronized void markUnsent(Stream stream, Collection<String> roomIds, long sentUpTo) {
            Map<String, Long> statuses = streams.get(stream);
            for (String roomId : roomIds) {
                statuses.computeIfPresent(roomId, (k, status) -> status == LIVE ? sentUpTo : status);
            }
        }

        synchronized ConnectionState build() {
            return new ConnectionState(streams.get(Stream.ROOMS), streams.get(Stream.ACCOUNT_DATA),
                    streams.get(Stream.RECEIPTS), sent, listCounts);
        }
    }
}
