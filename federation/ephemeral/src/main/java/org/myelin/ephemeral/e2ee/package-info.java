/**
 * The parts of end-to-end encryption both APIs share: {@link org.myelin.ephemeral.e2ee.DeviceLists} writes the
 * "device_lists" stream (local users' changes, and remote users' as their servers report them), and
 * {@link org.myelin.ephemeral.e2ee.KeyQuery} reads local users' keys as {@code /keys/query} and the server-server
 * {@code /user/keys/query} return them.
 */
package org.myelin.ephemeral.e2ee;
