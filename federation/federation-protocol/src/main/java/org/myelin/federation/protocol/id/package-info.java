/**
 * Typed Matrix identifiers: {@link org.myelin.federation.protocol.id.ServerName},
 * {@link org.myelin.federation.protocol.id.UserId}, {@link org.myelin.federation.protocol.id.RoomId},
 * {@link org.myelin.federation.protocol.id.RoomAlias}, {@link org.myelin.federation.protocol.id.EventId} and
 * {@link org.myelin.federation.protocol.id.KeyId}.
 *
 * <p>Invariant: an instance always satisfies the spec grammar (appendices "Identifier Grammar"); every record
 * validates in its canonical constructor, so {@code new} and {@code parse} are equally safe. A malformed value
 * is rejected with {@code MatrixException(M_INVALID_PARAM)}, never an unchecked JDK exception.
 * Parsing follows what servers MUST accept (historical user IDs, opaque room and event localparts);
 * stricter checks for values Myelin itself creates are separate methods.
 */
package org.myelin.federation.protocol.id;
