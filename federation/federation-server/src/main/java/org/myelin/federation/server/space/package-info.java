/**
 * Spaces across servers: serving {@code GET /_matrix/federation/v1/hierarchy/{roomId}} for the rooms this server is
 * in ({@link org.myelin.federation.server.space.HierarchyHandler}), and asking other servers about the rooms it is
 * not in, for the client API's /hierarchy and /room_summary
 * ({@link org.myelin.federation.server.space.RemoteSpaceHierarchy}).
 */
package org.myelin.federation.server.space;
