/**
 * Storage of end-to-end encryption keys: device keys, one-time and fallback keys, cross-signing keys and the
 * signatures uploaded for them, the "device_lists" stream and server-side key backups (migration V10). Invariants:
 * a one-time key leaves {@code one_time_keys} in the statement that hands it out, so no two claimers on any node
 * get the same key; a {@code device_list_changes} row's {@code stream_id} comes from {@code stream_positions} in
 * the transaction of the change it records.
 */
package org.myelin.db.e2ee;
