/**
 * Outgoing requests' SSRF guard: which resolved addresses a server-initiated request (federation, later URL
 * previews, push gateways and application services) may connect to ({@code MYELIN_OUTBOUND_ALLOWED_CIDRS}).
 */
package org.myelin.http.outbound;
