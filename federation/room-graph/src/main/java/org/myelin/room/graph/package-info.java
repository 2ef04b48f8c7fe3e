/**
 * The room graph: building, signing, authorising and persisting local events, delta-based state groups, and the
 * reads the client side needs.
 *
 * <p>Invariants: every write to a room runs inside one database transaction that first takes the room's row lock
 * ({@code SELECT ... FOR UPDATE}), so writers on any node are serialised per room and the DAG never forks through
 * local sends; signing and auth checks run on the CPU scheduler; a state group stores only what changed since its
 * predecessor, with a snapshot once the delta chain is long compared to the state.
 */
package org.myelin.room.graph;
