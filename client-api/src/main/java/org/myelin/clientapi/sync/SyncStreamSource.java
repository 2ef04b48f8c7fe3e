package org.myelin.clientapi.sync;

import java.util.Set;

import org.myelin.db.notify.StreamPosition;

import reactor.core.publisher.Mono;

/**
 * One of the per-user streams /sync reports besides room events: typing, receipts, presence, account data,
 * to-device messages, device lists. Each source owns its tables, its position counter and its NOTIFY stream name;
 * the sync assembler ({@code SyncService}) asks every source bean what changed between two positions and puts
 * the answer into the response. Sources are Spring beans discovered by type.
 */
public interface SyncStreamSource {

    /**
     * The stream's name: the key of its position inside the opaque sync token and the {@link StreamPosition#stream()}
     * its writers publish (e.g. {@code "typing"}, {@code "receipts"}, {@code "presence"}, {@code "account_data"},
     * {@code "to_device"}, {@code "device_lists"}).
     */
    String name();

    /**
     * The highest position this stream has reached, read from the database (never only from memory). Positions
     * start at 1, so that a {@code since} of 0 only ever means "this client has not seen this stream yet".
     */
    Mono<Long> currentPosition();

    /**
     * Adds to {@code out} what the user must see of this stream in {@code (since, upTo]}; {@code since == 0} is an
     * initial sync (the source then reports current state, e.g. all account data, current typing users).
     */
    Mono<Void> contribute(SyncRequest request, long since, long upTo, SyncResponseBuilder out);

    /** Whether a wake-up on this stream may concern the request's user (e.g. its scope is one of their rooms). */
    boolean concerns(StreamPosition position, SyncRequest request);

    /**
     * Adds what the user must see of this stream about rooms they newly joined in this sync (reported as on an
     * initial sync), up to {@code upTo}: e.g. the presence of the room's members, which the window alone would
     * not bring. Called after the rooms are assembled, only when there are such rooms; nothing by default.
     */
    default Mono<Void> newlyJoined(SyncRequest request, Set<String> roomIds, long upTo, SyncResponseBuilder out) {
        return Mono.empty();
    }
}
