package org.myelin.room.graph;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.myelin.federation.protocol.auth.ThirdPartyInviteVerifier;
import org.myelin.federation.protocol.crypto.JsonSigner;
import org.myelin.federation.protocol.crypto.PublicKeys;
import org.myelin.federation.protocol.crypto.VerifyKey;
import org.myelin.federation.protocol.id.KeyId;
import org.myelin.federation.protocol.id.ServerName;

import tools.jackson.databind.JsonNode;

/**
 * Checks the {@code signed} block of a third-party invite: it passes when, for some signing entity, some
 * Ed25519 signature verifies under one of the invite event's public keys.
 */
final class ThirdPartyInviteSignatures implements ThirdPartyInviteVerifier {

    @Override
    public boolean isSignedByAny(JsonNode signed, List<String> publicKeys) {
        for (Map.Entry<String, JsonNode> entity : signed.path("signatures").properties()) {
            Optional<ServerName> name = serverName(entity.getKey());
            if (name.isEmpty()) {
                continue;
            }
            for (String keyName : entity.getValue().propertyNames()) {
                Optional<KeyId> keyId = keyId(keyName);
                if (keyId.isPresent() && keyId.get().isEd25519() && anyKeyVerifies(signed, name.get(), keyId.get(),
                        publicKeys)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean anyKeyVerifies(JsonNode signed, ServerName entity, KeyId keyId, List<String> publicKeys) {
        for (String publicKey : publicKeys) {
            try {
                VerifyKey key = VerifyKey.fromBase64(keyId, publicKey);
                if (JsonSigner.verify(signed, entity, PublicKeys.of(entity, List.of(key))).isValid()) {
                    return true;
                }
            } catch (RuntimeException malformedKey) {
                // A public key that does not decode cannot verify anything; try the next one.
            }
        }
        return false;
    }

    private static Optional<ServerName> serverName(String value) {
        try {
            return Optional.of(ServerName.parse(value));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<KeyId> keyId(String value) {
        try {
            return Optional.of(KeyId.parse(value));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
