/**
 * The authorisation rules of room versions 1–12, as pure functions over an {@link
 * org.myelin.federation.protocol.auth.AuthEvent} view and an {@link org.myelin.federation.protocol.auth.AuthState}.
 *
 * <p>Owns: {@link org.myelin.federation.protocol.auth.AuthRules} (the entry point, returning an
 * {@link org.myelin.federation.protocol.auth.AuthResult} value, never throwing for a rejection), the auth events
 * selection, and lenient views of power levels, join rules and memberships.
 *
 * <p>Invariants: no I/O and no dependency on other packages of this module except {@code room}; room-version
 * differences come only from {@link org.myelin.federation.protocol.room.RoomVersion} flags; signature checks that
 * need keys are received as functions ({@link org.myelin.federation.protocol.auth.ThirdPartyInviteVerifier},
 * {@link org.myelin.federation.protocol.auth.ServerSignatureVerifier}).
 */
package org.myelin.federation.protocol.auth;
