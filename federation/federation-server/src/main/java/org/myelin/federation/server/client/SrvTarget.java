package org.myelin.federation.server.client;

/** One answer of an SRV lookup: where the service runs, and the record's ordering fields (RFC 2782). */
record SrvTarget(String host, int port, int priority, int weight) {
}
