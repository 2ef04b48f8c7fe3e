/**
 * Room state resolution: the algorithms that merge the room states after several {@code prev_events} into the
 * state before an event.
 *
 * <p>Owns: {@link org.myelin.federation.protocol.state.StateResolution} (the entry point, choosing the algorithm
 * from {@link org.myelin.federation.protocol.room.RoomVersion#stateResolution()}): state resolution v2 (room
 * versions 2–11, and NOTSPEC also room version 1) and v2.1 (room version 12, MSC4297) from the spec's "rooms/v2"
 * and "rooms/v12" pages; and {@link org.myelin.federation.protocol.state.TopologicalSort}, Kahn's
 * algorithm with a tie-break order.
 *
 * <p>Invariants: no I/O. Every event the algorithms read comes from an in-memory
 * {@link org.myelin.federation.protocol.state.EventLookup} that the caller preloads (state events and their auth
 * chains); authorisation goes through {@link org.myelin.federation.protocol.auth.AuthRules}; room-version
 * differences come only from {@link org.myelin.federation.protocol.room.RoomVersion} flags. Results are plain
 * {@code (type, state_key) -> event_id} maps.
 */
package org.myelin.federation.protocol.state;
