package org.myelin.federation.server.client;

import io.netty.handler.codec.http.HttpHeaders;

/** A complete answer: status, headers and the body bytes (within the configured size limit). */
record RawResponse(int status, HttpHeaders headers, byte[] body) {
}
