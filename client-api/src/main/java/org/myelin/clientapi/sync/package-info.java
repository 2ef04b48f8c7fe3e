/**
 * Sync support in the Client-Server API: the filter endpoints ({@code POST/GET /user/{userId}/filter}) and the
 * resolution of a request's {@code filter} parameter (inline JSON or a stored filter ID) into the typed
 * {@link org.myelin.federation.protocol.filter.Filter}. A user only ever reads and writes their own filters.
 */
package org.myelin.clientapi.sync;
