package org.myelin.clientapi.slidingsync;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.myelin.clientapi.auth.Requester;
import org.myelin.clientapi.e2ee.DeviceListSource;
import org.myelin.clientapi.ephemeral.accountdata.AccountDataSource;
import org.myelin.clientapi.ephemeral.receipts.ReceiptSource;
import org.myelin.clientapi.ephemeral.todevice.ToDeviceSource;
import org.myelin.clientapi.ephemeral.typing.TypingSource;
import org.myelin.clientapi.slidingsync.ConnectionState.Stream;
import org.myelin.clientapi.slidingsync.SlidingSyncRequest.Extensions;
import org.myelin.clientapi.slidingsync.SlidingSyncRequest.RoomScoped;
import org.myelin.clientapi.sync.SyncRequest;
import org.myelin.clientapi.sync.SyncResponseBuilder;
import org.myelin.clientapi.sync.SyncStreamSource;
import org.myelin.clientapi.sync.SyncToken;
import org.myelin.federation.protocol.filter.Filter;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The extensions of a sliding sync response, each answered by the /sync stream source it corresponds to, so both
 * APIs report the same data alike:
 * <ul>
 * <li>{@code to_device} (MSC3885): the device's messages after the extension's own {@code since}, at most its
 * {@code limit} (up to 100); those up to {@code since} are acknowledged and deleted, as /sync does;
 * {@code next_batch} is the to-device position to come back with.</li>
 * <li>{@code e2ee} (MSC3884): device list changes between the pos and now (none without a pos) and the device's key
 * counts.</li>
 * <li>{@code account_data} (MSC3959): global account data (all of it without a pos, else what changed) and the
 * account data of the extension's rooms.</li>
 * <li>{@code receipts} (MSC3960), {@code typing} (MSC3961): for the extension's rooms.</li>
 * </ul>
 * The extension's rooms are the joined rooms of the response's lists and subscriptions that its {@code lists} and
 * {@code rooms} name. A room whose account data or receipts the connection has not been sent (or that the response
 * sends as {@code initial}) gets all of them; one sent before gets what changed since; updates of rooms outside are
 * remembered in the connection state and sent once the room comes in (as Synapse does).
 */
@Component
public class SlidingExtensions {

    private final ToDeviceSource toDevice;
    private final DeviceListSource deviceLists;
    private final AccountDataSource accountData;
    private final ReceiptSource receipts;
    private final TypingSource typing;
    private final ObjectMapper mapper;

    public SlidingExtensions(ToDeviceSource toDevice, DeviceListSource deviceLists, AccountDataSource accountData,
            ReceiptSource receipts, TypingSource typing, ObjectMapper mapper) {
        this.toDevice = toDevice;
        this.deviceLists = deviceLists;
        this.accountData = accountData;
        this.receipts = receipts;
        this.typing = typing;
        this.mapper = mapper;
    }

    /**
     * What the extensions are computed from.
     *
     * @param from        the request's stream positions, or null without pos
     * @param upTo        the response's stream positions
     * @param joined      the rooms the user is joined to
     * @param lists       the request's lists over the user's rooms
     * @param subscribed  the subscribed rooms the user has a membership in
     * @param initial     the rooms this response sends as {@code initial}
     * @param previous    the connection's state at the pos
     * @param next        the state this response leaves, to record into
     */
    record Context(Requester requester, Extensions request, SyncToken from, Map<String, Long> upTo,
            Set<String> joined, RoomLists.Outcome lists, Set<String> subscribed, Set<String> initial,
            ConnectionState previous, ConnectionState.Builder next) {

        long since(String stream) {
            return from == null ? 0 : Math.min(from.position(stream), upTo.getOrDefault(stream, 0L));
        }

        SyncRequest sync(Set<String> rooms) {
            return new SyncRequest(requester, Filter.DEFAULT, rooms, false, since(SyncToken.EVENTS),
                    upTo.get(SyncToken.EVENTS));
        }

        /** The joined rooms of the response that an extension's lists and rooms name. */
        Set<String> rooms(RoomScoped scope) {
            Set<String> rooms = new HashSet<>();
            boolean allLists = scope.lists().contains(RequiredState.WILDCARD);
            lists.windows().forEach((name, windows) -> {
                if (allLists || scope.lists().contains(name)) {
                    windows.forEach(w -> rooms.addAll(w.roomIds()));
                }
            });
            boolean allRooms = scope.rooms().contains(RequiredState.WILDCARD);
            subscribed.stream().filter(r -> allRooms || scope.rooms().contains(r)).forEach(rooms::add);
            rooms.retainAll(joined);
            return rooms;
        }
    }

    /** The extensions' part of the response, and whether it has anything for the client. */
    record Built(ObjectNode body, boolean news) {
    }

    Mono<Built> build(Context ctx) {
        Extensions ext = ctx.request();
        Map<String, ObjectNode> parts = new ConcurrentSkipListMap<>();
        AtomicBoolean news = new AtomicBoolean();
        Mono<Void> all = Mono.when(
                ext.toDevice() == null ? Mono.<Void>empty() : toDevice(ctx, parts, news),
                ext.e2ee() ? e2ee(ctx, parts, news) : Mono.<Void>empty(),
                ext.accountData() == null ? Mono.<Void>empty() : accountData(ctx, parts, news),
                ext.receipts() == null ? Mono.<Void>empty() : receipts(ctx, parts, news),
                ext.typing() == null ? Mono.<Void>empty() : typing(ctx, parts, news));
        return all.then(Mono.fromSupplier(() -> {
            ObjectNode body = mapper.createObjectNode();
            parts.forEach(body::set);
            return new Built(body, news.get());
        }));
    }

    private Mono<Void> toDevice(Context ctx, Map<String, ObjectNode> parts, AtomicBoolean news) {
        long upTo = ctx.upTo().get(toDevice.name());
        Long asked = ctx.request().toDevice().since();
        long since = asked == null ? 0 : asked;
        ObjectNode part = mapper.createObjectNode();
        parts.put("to_device", part);
        if (since > upTo || ctx.requester().deviceId() == null) {
            // A since ahead of this stream (or a token without device): nothing, come back with the same.
            part.put("next_batch", Long.toString(Math.max(since, upTo)));
            part.putArray("events");
            return Mono.empty();
        }
        SyncResponseBuilder out = new SyncResponseBuilder();
        return toDevice.deliver(ctx.sync(Set.of()), since, upTo, ctx.request().toDevice().limit(), out)
                .then(Mono.fromRunnable(() -> {
                    part.put("next_batch", Long.toString(out.heldBack().getOrDefault(toDevice.name(), upTo)));
                    part.set("events", mapper.valueToTree(out.toDevice()));
                    flag(news, !out.toDevice().isEmpty());
                }));
    }

    private Mono<Void> e2ee(Context ctx, Map<String, ObjectNode> parts, AtomicBoolean news) {
        SyncResponseBuilder out = new SyncResponseBuilder();
        String stream = deviceLists.name();
        return deviceLists.contribute(ctx.sync(ctx.joined()), ctx.since(stream), ctx.upTo().get(stream), out)
                .then(Mono.fromRunnable(() -> {
                    ObjectNode part = mapper.createObjectNode();
                    if (ctx.from() != null) {
                        ObjectNode lists = part.putObject("device_lists");
                        lists.set("changed", mapper.valueToTree(out.deviceListsChanged()));
                        lists.set("left", mapper.valueToTree(out.deviceListsLeft()));
                    }
                    part.set("device_one_time_keys_count", mapper.valueToTree(out.oneTimeKeyCounts()));
                    part.set("device_unused_fallback_key_types", mapper.valueToTree(out.unusedFallbackKeyTypes()));
                    parts.put("e2ee", part);
                    flag(news, !out.deviceListsChanged().isEmpty() || !out.deviceListsLeft().isEmpty());
                }));
    }

    private Mono<Void> accountData(Context ctx, Map<String, ObjectNode> parts, AtomicBoolean news) {
        Set<String> rooms = ctx.rooms(ctx.request().accountData());
        return perRoom(ctx, accountData, Stream.ACCOUNT_DATA, rooms, true).map(found -> {
            ObjectNode part = mapper.createObjectNode();
            part.set("global", mapper.valueToTree(found.global()));
            ObjectNode byRoom = part.putObject("rooms");
            found.rooms().forEach((roomId, events) -> byRoom.set(roomId, mapper.valueToTree(events)));
            parts.put("account_data", part);
            flag(news, !found.global().isEmpty() || !found.rooms().isEmpty());
            return found;
        }).then();
    }

    private Mono<Void> receipts(Context ctx, Map<String, ObjectNode> parts, AtomicBoolean news) {
        Set<String> rooms = ctx.rooms(ctx.request().receipts());
        return perRoom(ctx, receipts, Stream.RECEIPTS, rooms, false).map(found -> {
            parts.put("receipts", roomEvents(found.rooms()));
            flag(news, !found.rooms().isEmpty());
            return found;
        }).then();
    }

    private Mono<Void> typing(Context ctx, Map<String, ObjectNode> parts, AtomicBoolean news) {
        Set<String> rooms = ctx.rooms(ctx.request().typing());
        String stream = typing.name();
        SyncResponseBuilder out = new SyncResponseBuilder();
        return typing.contribute(ctx.sync(rooms), ctx.since(stream), ctx.upTo().get(stream), out)
                .then(Mono.fromRunnable(() -> {
                    parts.put("typing", roomEvents(out.roomEphemeral()));
                    flag(news, !out.roomEphemeral().isEmpty());
                }));
    }

    private static void flag(AtomicBoolean news, boolean any) {
        if (any) {
            news.set(true);
        }
    }

    /** {@code {"rooms": {room: event}}} of one event per room. */
    private ObjectNode roomEvents(Map<String, List<ObjectNode>> byRoom) {
        ObjectNode part = mapper.createObjectNode();
        ObjectNode rooms = part.putObject("rooms");
        byRoom.forEach((roomId, events) -> rooms.set(roomId, events.get(0)));
        return part;
    }

    /** What a per-room stream found: global events (account data) and events by room. */
    private record Found(List<ObjectNode> global, Map<String, List<ObjectNode>> rooms) {
    }

    /**
     * The events of {@code source} for {@code rooms}: everything for a room the connection was not sent (or that
     * goes out as initial), what changed since for one it was; updates of the user's other joined rooms since the
     * pos are recorded as not sent (without a pos only {@code rooms} are read: a first response costs its window,
     * not the user's every room).
     */
    private Mono<Found> perRoom(Context ctx, SyncStreamSource source, Stream stream, Set<String> rooms,
            boolean global) {
        String name = source.name();
        long since = ctx.since(name);
        long upTo = ctx.upTo().get(name);
        Map<String, Long> statuses = ctx.previous().of(stream);
        Set<String> fresh = new HashSet<>();
        Map<Long, Set<String>> behind = new TreeMap<>();
        for (String roomId : rooms) {
            Long status = statuses.get(roomId);
            if (since == 0 || status == null || ctx.initial().contains(roomId)) {
                fresh.add(roomId);
            } else if (status != ConnectionState.LIVE) {
                behind.computeIfAbsent(status, s -> new HashSet<>()).add(roomId);
            }
        }
        SyncResponseBuilder changes = new SyncResponseBuilder();
        Map<String, List<ObjectNode>> found = new LinkedHashMap<>();
        // Without a pos nothing is behind yet: only the extension's rooms are read, not every joined room's all.
        Set<String> read = since == 0 ? rooms : ctx.joined();
        Mono<Void> reads = source.contribute(ctx.sync(read), since, upTo, changes).then(Mono.fromRunnable(
                () -> {
                    Map<String, List<ObjectNode>> changed = roomEvents(changes, stream);
                    changed.forEach((roomId, events) -> {
                        if (rooms.contains(roomId) && !fresh.contains(roomId) && statuses.get(roomId) != null
                                && statuses.get(roomId) == ConnectionState.LIVE) {
                            found.put(roomId, events);
                        }
                    });
                    Set<String> unsent = new HashSet<>(changed.keySet());
                    unsent.removeAll(rooms);
                    ctx.next().markUnsent(stream, unsent, since);
                }));
        if (!fresh.isEmpty() && since > 0) {
            reads = reads.then(readRooms(ctx, source, stream, fresh, 0, upTo, found));
        } else if (!fresh.isEmpty()) {
            reads = reads.then(Mono.fromRunnable(() -> roomEvents(changes, stream).forEach((roomId, events) -> {
                if (fresh.contains(roomId)) {
                    found.put(roomId, events);
                }
            })));
        }
        for (Map.Entry<Long, Set<String>> e : behind.entrySet()) {
            reads = reads.then(readRooms(ctx, source, stream, e.getValue(), e.getKey(), upTo, found));
        }
        return reads.then(Mono.fromSupplier(() -> {
            ctx.next().markSent(stream, rooms);
            return new Found(global ? changes.accountData() : List.of(), found);
        }));
    }

    private Mono<Void> readRooms(Context ctx, SyncStreamSource source, Stream stream, Set<String> rooms, long since,
            long upTo, Map<String, List<ObjectNode>> found) {
        SyncResponseBuilder out = new SyncResponseBuilder();
        return source.contribute(ctx.sync(rooms), since, upTo, out)
                .then(Mono.fromRunnable(() -> roomEvents(out, stream).forEach((roomId, events) -> {
                    if (rooms.contains(roomId)) {
                        found.put(roomId, events);
                    }
                })));
    }

    private static Map<String, List<ObjectNode>> roomEvents(SyncResponseBuilder out, Stream stream) {
        return stream == Stream.ACCOUNT_DATA ? out.roomAccountData() : out.roomEphemeral();
    }
}
