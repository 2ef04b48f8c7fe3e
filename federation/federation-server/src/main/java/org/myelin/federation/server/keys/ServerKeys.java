package org.myelin.federation.server.keys;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

import org.myelin.federation.protocol.crypto.JsonSigner;
import org.myelin.federation.protocol.crypto.SigningKey;
import org.myelin.federation.protocol.id.KeyId;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.keys.PublishedKey;
import org.myelin.room.keys.OldVerifyKey;

import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * This server's key document (https://spec.matrix.org/v1.19/server-server-api/#publishing-keys): its name, the
 * current verify key, the old ones (rotated out, with when they expired), and how long other servers may cache it, signed
 * with the current key. Pure: no I/O.
 */
public final class ServerKeys {

    /** How long others may cache the keys; Synapse's default key_refresh_interval. */
    public static final Duration VALIDITY = Duration.ofDays(1);

    private final ServerName serverName;
    private final SigningKey key;
    private final List<OldVerifyKey> oldKeys;
    private final Clock clock;

    /** @param oldKeys the keys rotated out, still published so that old events stay verifiable */
    public ServerKeys(ServerName serverName, SigningKey key, List<OldVerifyKey> oldKeys, Clock clock) {
        this.serverName = Objects.requireNonNull(serverName, "serverName");
        this.key = Objects.requireNonNull(key, "key");
        this.oldKeys = List.copyOf(oldKeys);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public ServerName serverName() {
        return serverName;
    }

    /** This server's key {@code keyId}: the current one, valid for {@link #VALIDITY} from now, or an old one. */
    public Optional<PublishedKey> published(KeyId keyId) {
        if (key.keyId().equals(keyId)) {
            return Optional.of(new PublishedKey(key.verifyKey(), clock.millis() + VALIDITY.toMillis(), OptionalLong.empty()));
        }
        return oldKeys.stream().filter(k -> k.key().keyId().equals(keyId)).findFirst()
                .map(k -> new PublishedKey(k.key(), k.expiredTs(), OptionalLong.of(k.expiredTs())));
    }

    /** {@code document} (another server's key document) with this server's signature added, as a notary serves it. */
    public ObjectNode countersign(ObjectNode document) {
        return JsonSigner.sign(document, serverName, key);
    }

    /** The signed document, valid from now for {@link #VALIDITY}. */
    public ObjectNode document() {
        ObjectNode doc = JsonNodeFactory.instance.objectNode().put("server_name", serverName.value());
        doc.putObject("verify_keys").putObject(key.keyId().toString()).put("key", key.verifyKey().toBase64());
        ObjectNode old = doc.putObject("old_verify_keys");
        oldKeys.forEach(k -> old.putObject(k.key().keyId().toString()).put("key", k.key().toBase64())
                .put("expired_ts", k.expiredTs()));
        doc.put("valid_until_ts", clock.millis() + VALIDITY.toMillis());
        return JsonSigner.sign(doc, serverName, key);
    }
}
