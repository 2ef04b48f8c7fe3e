package org.myelin.federation.protocol.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import tools.jackson.databind.JsonNode;

/** Rule 5.4.1 (v1–5: 5.3.1, v6–7: 4.3.1, v8–11: 4.4.1): invites carrying {@code third_party_invite}. */
final class ThirdPartyInviteRules {

    private final ThirdPartyInviteVerifier verifier;

    ThirdPartyInviteRules(ThirdPartyInviteVerifier verifier) {
        this.verifier = verifier;
    }

    AuthResult check(AuthContext ctx) {
        AuthEvent event = ctx.event;
        String target = event.stateKey();
        // 5.4.1.1 If target user is banned, reject.
        if (ctx.is(target, Membership.BAN)) {
            return AuthResult.reject(AuthRule.MEMBER_INVITE_3PID_BANNED, target + " is banned");
        }
        // 5.4.1.2 If content.third_party_invite does not have a signed property, reject.
        JsonNode signed = event.content().path("third_party_invite").path("signed");
        if (!signed.isObject()) {
            return AuthResult.reject(AuthRule.MEMBER_INVITE_3PID_SIGNED, "third_party_invite has no signed object");
        }
        // 5.4.1.3 If signed does not have mxid and token properties, reject.
        if (!signed.path("mxid").isString() || !signed.path("token").isString()) {
            return AuthResult.reject(AuthRule.MEMBER_INVITE_3PID_FIELDS, "signed needs string mxid and token");
        }
        // 5.4.1.4 If mxid does not match state_key, reject.
        if (!signed.path("mxid").stringValue().equals(target)) {
            return AuthResult.reject(AuthRule.MEMBER_INVITE_3PID_MXID, "signed.mxid is not " + target);
        }
        // 5.4.1.5 If there is no m.room.third_party_invite event in the current room state with state_key matching
        // token, reject.
        String token = signed.path("token").stringValue();
        Optional<AuthEvent> invite = ctx.state.get(AuthEventSelection.THIRD_PARTY_INVITE_TYPE, token);
        if (invite.isEmpty()) {
            return AuthResult.reject(AuthRule.MEMBER_INVITE_3PID_TOKEN, "no m.room.third_party_invite for " + token);
        }
        // 5.4.1.6 If sender does not match sender of the m.room.third_party_invite, reject.
        if (!event.sender().equals(invite.get().sender())) {
            return AuthResult.reject(AuthRule.MEMBER_INVITE_3PID_SENDER,
                    "the m.room.third_party_invite was sent by " + invite.get().sender());
        }
        // 5.4.1.7 If any signature in signed matches any public key in the m.room.third_party_invite event
        // (public_key, and each public_keys[].public_key), allow.
        List<String> keys = publicKeys(invite.get().content());
        if (!keys.isEmpty() && verifier.isSignedByAny(signed, keys)) {
            return AuthResult.allow(AuthRule.MEMBER_INVITE_3PID_SIGNATURE);
        }
        // 5.4.1.8 Otherwise, reject.
        return AuthResult.reject(AuthRule.MEMBER_INVITE_3PID_SIGNATURE,
                "no signature in signed matches a public key of the m.room.third_party_invite");
    }

    private static List<String> publicKeys(JsonNode content) {
        List<String> keys = new ArrayList<>();
        if (content.path("public_key").isString()) {
            keys.add(content.path("public_key").stringValue());
        }
        JsonNode list = content.path("public_keys");
        for (JsonNode entry : list.isArray() ? list.values() : List.<JsonNode>of()) {
            if (entry.path("public_key").isString()) {
                keys.add(entry.path("public_key").stringValue());
            }
        }
        return keys;
    }
}
