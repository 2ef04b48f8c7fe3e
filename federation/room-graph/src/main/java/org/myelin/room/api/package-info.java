/**
 * The narrow ports other modules use to reach the room graph. The Client-Server API sees only
 * {@link org.myelin.room.api.ClientRoomApi} and these value types, never the services behind them.
 */
package org.myelin.room.api;
