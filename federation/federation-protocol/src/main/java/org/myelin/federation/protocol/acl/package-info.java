/** Which servers may take part in a room ({@code m.room.server_acl}) or talk to this server at all. */
package org.myelin.federation.protocol.acl;
