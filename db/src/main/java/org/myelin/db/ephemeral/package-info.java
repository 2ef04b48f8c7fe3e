/**
 * Storage of the per-user sync streams besides room events: typing, receipts, account data, presence and
 * to-device messages, and the {@code stream_positions} counters that number them. Invariant: a row's
 * {@code stream_id} comes from {@link org.myelin.db.ephemeral.StreamCounterRepository#advance} in the same
 * transaction as the write, so positions are committed in order and never run ahead of the data.
 */
package org.myelin.db.ephemeral;
