/**
 * The federation listener: TLS on {@code MYELIN_FEDERATION_PORT}, serving the server-server API and the key server
 * (and, when configured, the Client-Server API too), with the certificate it presents.
 *
 * <p>Invariants: the private key of a generated certificate is readable by its owner only; the listener shares the
 * client listener's handler, limits and error bodies.
 */
package org.myelin.homeserver.federation;
