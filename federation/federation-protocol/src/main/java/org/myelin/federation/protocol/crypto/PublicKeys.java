package org.myelin.federation.protocol.crypto;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.myelin.federation.protocol.id.KeyId;
import org.myelin.federation.protocol.id.ServerName;

/**
 * Where signature checks find verification keys. Callers answer only with keys that are valid for what is
 * being checked (for events in room v5+, keys whose {@code valid_until_ts} covers the event's
 * {@code origin_server_ts}); an absent key makes its signature count as unknown and skipped.
 */
@FunctionalInterface
public interface PublicKeys {

    /** The verification key {@code server} published under {@code keyId}, if known and usable. */
    Optional<VerifyKey> find(ServerName server, KeyId keyId);

    /** A fixed set of keys belonging to one server. */
    static PublicKeys of(ServerName server, Collection<VerifyKey> keys) {
        Map<KeyId, VerifyKey> byId = keys.stream().collect(Collectors.toUnmodifiableMap(VerifyKey::keyId, Function.identity()));
        return (s, id) -> s.equals(server) ? Optional.ofNullable(byId.get(id)) : Optional.empty();
    }
}
