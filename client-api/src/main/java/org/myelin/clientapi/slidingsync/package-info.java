/**
 * Simplified sliding sync (MSC4186, served as Synapse does at
 * {@code /_matrix/client/unstable/org.matrix.simplified_msc3575/sync}): lists of the user's rooms sorted by recency
 * with ranges and filters, room subscriptions, and extensions, on the same stream positions, room reads, long-poll
 * and stream sources as /sync. What a connection was sent is kept in PostgreSQL per (user, device, conn_id), so a
 * client may continue on any node.
 */
package org.myelin.clientapi.slidingsync;
