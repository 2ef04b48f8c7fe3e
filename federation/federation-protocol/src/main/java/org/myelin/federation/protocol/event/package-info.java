/**
 * Events as the room-version specs define them: redaction ({@link org.myelin.federation.protocol.event.Redactor}),
 * event and v12 room IDs ({@link org.myelin.federation.protocol.event.EventIds}), hashing and signing outgoing
 * events ({@link org.myelin.federation.protocol.event.EventSigning}), checking received ones
 * ({@link org.myelin.federation.protocol.event.EventVerifier}), and the immutable
 * {@link org.myelin.federation.protocol.event.Pdu} view.
 *
 * <p>Invariants: every rule that differs between room versions is chosen through
 * {@link org.myelin.federation.protocol.room.RoomVersion} flags, never by comparing version strings; inputs are
 * never modified; verification outcomes are values, not exceptions.
 */
package org.myelin.federation.protocol.event;
