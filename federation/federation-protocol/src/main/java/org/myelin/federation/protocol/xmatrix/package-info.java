/**
 * Federation request authentication (server-server API "Request Authentication"): the signed request JSON
 * ({@link org.myelin.federation.protocol.xmatrix.XMatrixRequest}) and the {@code Authorization: X-Matrix ...}
 * header that carries its signature ({@link org.myelin.federation.protocol.xmatrix.XMatrixAuthorization}).
 *
 * <p>Invariants: senders write the conservative form the spec asks for (one space, lower-case names, quoted
 * values, no whitespace around commas); parsing accepts everything RFC 9110 section 11.4 allows plus unquoted
 * values containing colons. Malformed headers fail with {@code 401 M_UNAUTHORIZED}.
 */
package org.myelin.federation.protocol.xmatrix;
