/**
 * End-to-end encryption keys as the Client-Server API carries them (client-server-api "End-to-End Encryption"):
 * the shape of a device's identity keys, of cross-signing keys and of one-time keys, and checking that a user's key
 * signed such an object. Signatures are checked over the canonical JSON without {@code signatures} and
 * {@code unsigned} (appendices "Signing JSON"); key IDs here name devices and public keys, so they are not limited
 * to the grammar of server key IDs.
 */
package org.myelin.federation.protocol.e2ee;
