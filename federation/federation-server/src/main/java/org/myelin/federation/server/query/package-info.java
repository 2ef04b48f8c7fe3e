/** The server-server API's queries: profiles and room aliases of this server's users and rooms. */
package org.myelin.federation.server.query;
