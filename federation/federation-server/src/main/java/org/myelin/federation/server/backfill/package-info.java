/**
 * Backfill: history of a room from before what this server holds, asked of the other servers in the room when a
 * client pages back past the start of it.
 */
package org.myelin.federation.server.backfill;
