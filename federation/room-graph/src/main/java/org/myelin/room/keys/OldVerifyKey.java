package org.myelin.room.keys;

import org.myelin.federation.protocol.crypto.VerifyKey;

/**
 * A signing key this server used before a rotation: other servers still check old events with it (published under
 * {@code old_verify_keys}), but it signs nothing after {@code expiredTs}.
 *
 * @param expiredTs when it stopped being used, in milliseconds since the epoch
 */
public record OldVerifyKey(VerifyKey key, long expiredTs) {
}
