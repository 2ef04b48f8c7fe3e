/**
 * Cross-node wake-ups over PostgreSQL LISTEN/NOTIFY (docs/adr/0006-cross-node-wakeups.md).
 *
 * <p>Owns: {@link org.myelin.db.notify.StreamPosition} (the tiny payload: a stream name, a position and an
 * optional room or user ID), {@link org.myelin.db.notify.StreamPublisher} ({@code pg_notify} on the caller's
 * connection, so a notification inside a transaction is delivered at COMMIT and never on rollback) and
 * {@link org.myelin.db.notify.StreamNotifier} (one dedicated, non-pooled LISTEN connection per node, reconnected
 * with backoff, fanned out to any number of in-process subscribers).
 *
 * <p>Invariants: a notification is a hint, never data; PostgreSQL stays the source of truth. Whenever a
 * notification may have been missed (the listener reconnected, or a slow subscriber's buffer overflowed) the
 * subscriber receives {@link org.myelin.db.notify.StreamPosition#resync()} and must re-read positions.
 */
package org.myelin.db.notify;
