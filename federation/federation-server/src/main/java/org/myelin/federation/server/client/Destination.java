package org.myelin.federation.server.client;

/**
 * Where and how to reach a server, as server-name resolution decided.
 *
 * @param tlsName     the name the server's certificate must be valid for (a DNS name or an IP address)
 * @param connectHost the host whose addresses are connected to (an SRV target, or {@code tlsName})
 * @param port        the port to connect to
 * @param hostHeader  the value of the {@code Host} header
 */
public record Destination(String tlsName, String connectHost, int port, String hostHeader) {
}
