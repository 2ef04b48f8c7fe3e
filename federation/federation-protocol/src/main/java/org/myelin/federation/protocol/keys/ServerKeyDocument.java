package org.myelin.federation.protocol.keys;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

import org.myelin.federation.protocol.crypto.JsonSigner;
import org.myelin.federation.protocol.crypto.PublicKeys;
import org.myelin.federation.protocol.crypto.SignatureCheck;
import org.myelin.federation.protocol.crypto.VerifyKey;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.KeyId;
import org.myelin.federation.protocol.id.ServerName;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A server's key document ({@code GET /_matrix/key/v2/server}, or one entry of a notary's {@code server_keys}),
 * read and checked: it names the expected server, lists Ed25519 keys, and is signed by that server with every
 * current key it lists that signed it, at least one of them. Only documents that pass are ever built.
 *
 * @param server       the server the keys belong to
 * @param validUntilTs how long the current keys may be trusted
 * @param keys         current and old keys by ID
 * @param json         the document as received, signatures included (a notary serves it on, adding its own)
 */
public record ServerKeyDocument(ServerName server, long validUntilTs, Map<KeyId, PublishedKey> keys, ObjectNode json) {

    public ServerKeyDocument {
        keys = Map.copyOf(keys);
    }

    /**
     * Reads a document that should describe {@code expected}. Throws {@code M_UNAUTHORIZED} naming the reason
     * when it names another server, is malformed, lists no current key, or its self-signature does not verify.
     */
    public static ServerKeyDocument verify(JsonNode document, ServerName expected) {
        if (!(document instanceof ObjectNode json)) {
            throw invalid(expected, "it is not a JSON object");
        }
        if (!expected.value().equals(json.path("server_name").asString(null))) {
            throw invalid(expected, "it names another server");
        }
        JsonNode validUntil = json.get("valid_until_ts");
        if (validUntil == null || !validUntil.isIntegralNumber()) {
            throw invalid(expected, "valid_until_ts is missing");
        }
        Map<KeyId, PublishedKey> keys = new LinkedHashMap<>();
        List<VerifyKey> current = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : json.path("verify_keys").properties()) {
            VerifyKey key = key(expected, entry);
            if (key != null) {
                current.add(key);
                keys.put(key.keyId(), new PublishedKey(key, validUntil.asLong(), OptionalLong.empty()));
            }
        }
        if (current.isEmpty()) {
            throw invalid(expected, "it lists no Ed25519 verify key");
        }
        for (Map.Entry<String, JsonNode> entry : json.path("old_verify_keys").properties()) {
            VerifyKey key = key(expected, entry);
            JsonNode expired = entry.getValue().get("expired_ts");
            if (key != null && expired != null && expired.isIntegralNumber() && !keys.containsKey(key.keyId())) {
                keys.put(key.keyId(), new PublishedKey(key, expired.asLong(), OptionalLong.of(expired.asLong())));
            }
        }
        SignatureCheck check = JsonSigner.verify(json, expected, PublicKeys.of(expected, current));
        if (check != SignatureCheck.VALID) {
            throw invalid(expected, "its self-signature is " + check.name().toLowerCase(Locale.ROOT));
        }
        return new ServerKeyDocument(expected, validUntil.asLong(), keys, json);
    }

    /** Checks that a notary signed this document with one of {@code notaryKeys}. */
    public void requireNotarySignature(ServerName notary, List<VerifyKey> notaryKeys) {
        SignatureCheck check = JsonSigner.verify(json, notary, PublicKeys.of(notary, notaryKeys));
        if (check != SignatureCheck.VALID) {
            throw invalid(server, "the notary " + notary + "'s signature is "
                    + check.name().toLowerCase(Locale.ROOT));
        }
    }

    private static VerifyKey key(ServerName server, Map.Entry<String, JsonNode> entry) {
        KeyId id;
        try {
            id = KeyId.parse(entry.getKey());
        } catch (MatrixException e) {
            return null;
        }
        String base64 = entry.getValue().path("key").asString(null);
        if (!id.isEd25519() || base64 == null) {
            return null;
        }
        try {
            return VerifyKey.fromBase64(id, base64);
        } catch (MatrixException | IllegalArgumentException e) {
            throw invalid(server, "key " + id + " is not a valid Ed25519 key");
        }
    }

    private static MatrixException invalid(ServerName server, String why) {
        return new MatrixException(ErrCode.M_UNAUTHORIZED,
                "The key document of " + server + " is not acceptable: " + why);
    }
}
