/**
 * Room aliases, the published room directory and room upgrades in the Client-Server API. Handlers translate HTTP
 * to {@link org.myelin.federation.server.api.ClientDirectoryApi} and
 * {@link org.myelin.federation.server.api.ClientRoomUpgradeApi} calls; they hold no room logic of their own.
 */
package org.myelin.clientapi.directory;
