/**
 * Spaces and room previews in the Client-Server API: GET /v1/rooms/{roomId}/hierarchy and GET
 * /v1/room_summary/{roomIdOrAlias} (with the unstable {@code im.nheko.summary} path Synapse serves). Handlers read the
 * query, resolve aliases and render {@link org.myelin.room.api.ClientSpaceApi}'s answers.
 */
package org.myelin.clientapi.space;
