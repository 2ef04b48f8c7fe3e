/**
 * Joins across servers (server-server API "Joining Rooms"), both directions: as the resident server
 * ({@code make_join}, {@code send_join}) and as the joining server ({@link RemoteJoiner}, behind the client
 * API's /join for a room this server is not in).
 */
package org.myelin.federation.server.membership;
