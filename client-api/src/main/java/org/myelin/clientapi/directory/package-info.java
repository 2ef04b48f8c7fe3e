/**
 * Room aliases, the published room directory and room upgrades in the Client-Server API. Handlers translate HTTP
 * to {@link org.myelin.room.api.ClientDirectoryApi} and
 * {@link org.myelin.room.api.ClientRoomUpgradeApi} calls; they hold no room logic of their own.
 */
package org.myelin.clientapi.directory;
