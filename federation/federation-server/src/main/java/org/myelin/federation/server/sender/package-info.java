/**
 * The outgoing side of federation: this server's events delivered to every server with members in their rooms,
 * in transactions, from a position kept in PostgreSQL, with backoff, one node per destination at a time.
 */
package org.myelin.federation.server.sender;
