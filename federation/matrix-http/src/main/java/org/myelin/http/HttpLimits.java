package org.myelin.http;

/**
 * The request limits every Matrix API shares; the homeserver module builds it from {@code myelin.limits.*}.
 *
 * @param maxRequestBytes the largest request body accepted, declared ({@code Content-Length}) or chunked
 */
public record HttpLimits(long maxRequestBytes) {
}
