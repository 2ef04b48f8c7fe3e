/**
 * The write side of the ephemeral streams, shared by the Client-Server API and the server-server API (inbound
 * EDUs): typing, receipts, presence and to-device, as services with typed, HTTP-free methods. Every write takes its
 * position from the database ({@code stream_positions}) and publishes it in the writing transaction
 * ({@link org.myelin.ephemeral.StreamWriter}), so all nodes agree. Who may write (membership, acting only for
 * oneself) is the calling API's decision.
 */
package org.myelin.ephemeral;
