/**
 * What other servers may read of the rooms this server is in: single events, the state at an event, missing
 * events, backfill and auth chains, each only for a server in the room and filtered by history visibility.
 */
package org.myelin.federation.server.read;
