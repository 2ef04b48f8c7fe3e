/**
 * Account data the server itself acts on (https://spec.matrix.org/v1.19/client-server-api/#client-config).
 *
 * <p>Owns: {@link org.myelin.federation.protocol.account.IgnoredUsers} (the {@code m.ignored_user_list} event:
 * who a user ignores, and the check that a user does not ignore themselves).
 *
 * <p>Invariants: pure functions with no I/O over the event's JSON content.
 */
package org.myelin.federation.protocol.account;
