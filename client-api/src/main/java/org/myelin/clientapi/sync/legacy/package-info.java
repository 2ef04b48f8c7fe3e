/**
 * The deprecated pre-/sync endpoints, as r0.6.1 last described them and Synapse still serves them, built on the
 * /sync machinery: GET /events (the event stream from a /sync token, long-polled like /sync; with {@code room_id}
 * the events of one room the user may peek into), GET /events/{eventId}, GET /initialSync (every room's recent
 * messages and current state) and GET /rooms/{roomId}/initialSync. Their tokens are /sync tokens, so /events
 * continues from an initialSync's {@code end} and /sync from an /events {@code end}.
 */
package org.myelin.clientapi.sync.legacy;
