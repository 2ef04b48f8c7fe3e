/** Presence across servers: received {@code m.presence} EDUs (outgoing ones are queued by ephemeral's PresenceService). */
package org.myelin.federation.server.presence;
