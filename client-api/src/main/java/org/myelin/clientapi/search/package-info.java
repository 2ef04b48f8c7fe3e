/**
 * Server-side search and the user directory (https://spec.matrix.org/v1.19/client-server-api/#server-side-search,
 * https://spec.matrix.org/v1.19/client-server-api/#user-directory): POST /search, whose criteria
 * {@link org.myelin.clientapi.search.SearchRequestParser} reads and whose answer
 * {@link org.myelin.clientapi.search.SearchResponse} writes around the room graph's
 * {@link org.myelin.room.api.ClientSearchApi}, and POST /user_directory/search over db's
 * {@link org.myelin.db.directory.UserDirectoryRepository}.
 */
package org.myelin.clientapi.search;
