/**
 * The room graph's tables: rooms, events with their prev/auth edges, forward extremities, delta-based state
 * groups, current state, memberships, local aliases and client transaction ids.
 *
 * <p>Invariants: events are stored as the exact canonical JSON text they were signed as; a state group stores only
 * the entries that differ from its {@code prev_group} (a snapshot has none); writers that change a room hold the
 * room's row lock ({@link org.myelin.db.room.RoomRepository#lock}) in the same transaction.
 */
package org.myelin.db.room;
