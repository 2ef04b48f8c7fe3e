/**
 * Canonical JSON (appendices "Canonical JSON"): parsing untrusted JSON into Jackson trees and encoding trees
 * into the exact bytes that are hashed and signed.
 *
 * <p>Invariants: output keys are sorted by Unicode code point, there is no insignificant whitespace, integral
 * numbers are written without exponent or fraction ({@code 1e10} becomes {@code 10000000000}, {@code -0}
 * becomes {@code 0}), non-ASCII is written as raw UTF-8 and only control characters, {@code "} and
 * {@code \} are escaped. Duplicate keys are always rejected; {@link org.myelin.federation.protocol.json.CanonicalJson.Mode#STRICT}
 * (room v6+ and all non-event JSON) also rejects fractions and integers outside ±(2^53−1).
 */
package org.myelin.federation.protocol.json;
