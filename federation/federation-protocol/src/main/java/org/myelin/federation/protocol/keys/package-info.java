/**
 * Other servers' published signing keys (server-server API "Retrieving server keys"): reading and checking a key
 * document, directly from its server or through a notary, and which key may verify what.
 */
package org.myelin.federation.protocol.keys;
