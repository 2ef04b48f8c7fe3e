/**
 * Authentication of incoming federation requests: X-Matrix signatures checked against the origin's keys, the
 * destination checked, and the server-wide allow/deny lists applied, before any handler runs.
 */
package org.myelin.federation.server.auth;
