/**
 * Server-side search and the user directory, the parts that are plain logic
 * (https://spec.matrix.org/v1.19/client-server-api/#server-side-search,
 * https://spec.matrix.org/v1.19/client-server-api/#user-directory).
 *
 * <p>Owns: {@link org.myelin.federation.protocol.search.SearchKey} (which event field each searchable key names),
 * {@link org.myelin.federation.protocol.search.SearchToken} (the opaque {@code next_batch} of /search) and
 * {@link org.myelin.federation.protocol.search.DirectoryTerms} (a user directory search term as words and the
 * PostgreSQL {@code tsquery} texts built from them).
 *
 * <p>Invariants: pure functions with no I/O; malformed client input is a {@code MatrixException} with a Matrix
 * errcode, never another exception.
 */
package org.myelin.federation.protocol.search;
