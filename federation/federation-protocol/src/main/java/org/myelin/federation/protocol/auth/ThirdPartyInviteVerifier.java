package org.myelin.federation.protocol.auth;

import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * Verifies the {@code signed} object of a third-party invite (the auth rule "if any signature in {@code signed}
 * matches any public key in the {@code m.room.third_party_invite} event, allow"). The real implementation checks
 * Ed25519 signatures over the canonical JSON of {@code signed} without its {@code signatures}; it lives with the
 * crypto code, so the rules receive it as a function.
 */
@FunctionalInterface
public interface ThirdPartyInviteVerifier {

    /**
     * @param signed     {@code content.third_party_invite.signed} of the invite, including its {@code signatures}
     * @param publicKeys the unpadded-base64 Ed25519 public keys of the {@code m.room.third_party_invite} event
     *                   ({@code public_key} and every {@code public_keys[].public_key})
     * @return true when at least one signature in {@code signed} verifies under at least one of the keys
     */
    boolean isSignedByAny(JsonNode signed, List<String> publicKeys);
}
