/**
 * The cryptography Matrix JSON needs: unpadded base64, Ed25519 signing keys (BouncyCastle low-level API),
 * signing and verifying JSON objects (appendices "Signing JSON"), and the content and reference hashes of
 * events (server-server API "Signing Events").
 *
 * <p>Invariants: signing never modifies its input; verification returns a {@link
 * org.myelin.federation.protocol.crypto.SignatureCheck} value instead of throwing, because bad signatures from
 * remote servers are normal. This package knows nothing of redaction: callers pass already-redacted events
 * where the spec says so.
 */
package org.myelin.federation.protocol.crypto;
