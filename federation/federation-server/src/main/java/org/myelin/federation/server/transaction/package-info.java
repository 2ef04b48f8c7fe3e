/**
 * Receiving transactions ({@code PUT /_matrix/federation/v1/send/{txnId}}): each PDU checked in the spec's order
 * (format, signatures, content hash, then the room graph's auth checks), gaps filled from the origin, and the
 * room-scoped EDUs applied under the room's server ACL.
 */
package org.myelin.federation.server.transaction;
