/**
 * The narrow ports other modules use to reach the room graph. The Client-Server API sees only
 * {@link org.myelin.federation.server.api.ClientRoomApi} and these value types, never the services behind them.
 */
package org.myelin.federation.server.api;
