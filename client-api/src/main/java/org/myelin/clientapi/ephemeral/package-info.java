/**
 * The ephemeral and per-user streams of the Client-Server API besides room events: typing, receipts and read
 * markers, presence, account data and tags, send-to-device. Each feature has its own subpackage with its handler
 * and its {@link org.myelin.clientapi.sync.SyncStreamSource}. The handlers translate HTTP to the HTTP-free write
 * services of the {@code ephemeral} module ({@link org.myelin.ephemeral}), which the server-server API uses too,
 * and make the client-only checks (joined, acting for oneself). Every position comes from the database
 * ({@code stream_positions}) and is published in the writing transaction, so all nodes agree; nothing kept in
 * memory is a source of truth.
 */
package org.myelin.clientapi.ephemeral;
