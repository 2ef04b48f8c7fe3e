/**
 * The outgoing side of federation: finding where a server name is served (well-known delegation, SRV, default
 * port), connecting over verified TLS through the outbound SSRF guard, and signing requests with X-Matrix.
 */
package org.myelin.federation.server.client;
