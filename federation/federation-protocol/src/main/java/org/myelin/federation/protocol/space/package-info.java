/**
 * Spaces (https://spec.matrix.org/v1.19/client-server-api/#spaces): what makes a room part of a space, the order of
 * a space's children, the room summary that /hierarchy and /room_summary answer with, and who may see a room in
 * them.
 *
 * <p>Owns: {@link org.myelin.federation.protocol.space.SpaceChild} (one valid {@code m.space.child} event and the
 * ordering of children), {@link org.myelin.federation.protocol.space.RoomSummary} (the spec's RoomSummary, its
 * JSON both ways and the preview rule) and {@link org.myelin.federation.protocol.space.SpaceRoom} (a summary with
 * its children, as one hierarchy entry).
 *
 * <p>Invariants: pure functions with no I/O; JSON from other servers is checked field by field and rendered again
 * from the records, so only well-typed fields of the schema pass through.
 */
package org.myelin.federation.protocol.space;
