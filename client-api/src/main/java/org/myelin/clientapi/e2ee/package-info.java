/**
 * End-to-end encryption key APIs (client-server-api "End-to-End Encryption"): device, one-time and fallback keys
 * ({@code /keys/upload}, {@code /keys/query}, {@code /keys/claim}, {@code /keys/changes}), cross-signing
 * ({@code /keys/device_signing/upload}, {@code /keys/signatures/upload}), server-side key backups
 * ({@code /room_keys/...}) and the "device_lists" sync stream with the device's key counts. The server stores and
 * routes keys; it never sees a private key or plaintext. Remote users are answered in {@code failures} until
 * federation can ask their servers.
 */
package org.myelin.clientapi.e2ee;
