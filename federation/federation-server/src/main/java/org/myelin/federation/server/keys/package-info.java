/**
 * Publishing this server's signing keys (GET /_matrix/key/v2/server).
 *
 * <p>Invariants: the response is signed with the key it publishes; the private key never leaves the signer.
 */
package org.myelin.federation.server.keys;
