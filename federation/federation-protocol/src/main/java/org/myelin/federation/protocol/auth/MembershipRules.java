package org.myelin.federation.protocol.auth;

import java.util.Optional;

import org.myelin.federation.protocol.auth.JoinRules.Rule;

import tools.jackson.databind.JsonNode;

/** Rule 5 (v6–11: 4), for {@code m.room.member} events. Numbers are room v12's; v1–7 lack 5.2 (join 5.2.x). */
final class MembershipRules {

    private static final String AUTHORISER_KEY = "join_authorised_via_users_server";

    private final ThirdPartyInviteRules thirdPartyInvites;
    private final ServerSignatureVerifier serverSignatures;

    MembershipRules(ThirdPartyInviteVerifier thirdPartyInviteVerifier, ServerSignatureVerifier serverSignatures) {
        this.thirdPartyInvites = new ThirdPartyInviteRules(thirdPartyInviteVerifier);
        this.serverSignatures = serverSignatures;
    }

    AuthResult check(AuthContext ctx) {
        AuthEvent event = ctx.event;
        JsonNode membershipValue = event.content().path("membership");
        // 5.1 If there is no state_key property, or no membership property in content, reject.
        if (event.stateKey() == null || !membershipValue.isString()) {
            return AuthResult.reject(AuthRule.MEMBER_SHAPE, "a member event needs a state_key and a membership");
        }
        // 5.2 (v8+) If content has a join_authorised_via_users_server key and the event is not validly signed by
        // the homeserver of that user ID, reject.
        if (ctx.version.restrictedJoinAllowed() && event.content().has(AUTHORISER_KEY)) {
            JsonNode authoriser = event.content().get(AUTHORISER_KEY);
            if (!authoriser.isString() || !UserIds.isValid(authoriser.stringValue())
                    || !serverSignatures.isSignedBy(event, UserIds.domain(authoriser.stringValue()))) {
                return AuthResult.reject(AuthRule.MEMBER_JOIN_AUTHORISED_SIGNATURE,
                        "not signed by the server of " + AUTHORISER_KEY + " " + authoriser);
            }
        }
        Optional<Membership> membership = Membership.parse(membershipValue.stringValue(), ctx.version);
        if (membership.isEmpty()) {
            // 5.8 Otherwise, the membership is unknown. Reject.
            return AuthResult.reject(AuthRule.MEMBER_UNKNOWN, "unknown membership " + membershipValue);
        }
        return switch (membership.get()) {
            case JOIN -> join(ctx);
            case INVITE -> event.content().has("third_party_invite") ? thirdPartyInvites.check(ctx) : invite(ctx);
            case LEAVE -> leave(ctx);
            case BAN -> ban(ctx);
            case KNOCK -> knock(ctx);
        };
    }

    private AuthResult join(AuthContext ctx) {
        AuthEvent event = ctx.event;
        String target = event.stateKey();
        // 5.3.1 If the only previous event is an m.room.create and the state_key is the creator (v11+: the sender
        // of the m.room.create), allow.
        if (event.prevEventIds().size() == 1 && event.prevEventIds().get(0).equals(ctx.create.event().eventId())
                && target.equals(ctx.create.creator())) {
            return AuthResult.allow(AuthRule.MEMBER_JOIN_CREATOR);
        }
        // 5.3.2 If the sender does not match state_key, reject.
        if (!event.sender().equals(target)) {
            return AuthResult.reject(AuthRule.MEMBER_JOIN_SENDER, "only " + target + " can join as themself");
        }
        // 5.3.3 If the sender is banned, reject.
        if (ctx.is(target, Membership.BAN)) {
            return AuthResult.reject(AuthRule.MEMBER_JOIN_BANNED, target + " is banned");
        }
        Rule rule = JoinRules.of(ctx.state.get(JoinRules.TYPE, "").orElse(null), ctx.version).rule();
        boolean invitedOrJoined = ctx.is(target, Membership.INVITE) || ctx.is(target, Membership.JOIN);
        // 5.3.4 If the join_rule is invite or knock then allow if membership state is invite or join.
        if ((rule == Rule.INVITE || rule == Rule.KNOCK) && invitedOrJoined) {
            return AuthResult.allow(AuthRule.MEMBER_JOIN_INVITE_RULE);
        }
        // 5.3.5 (v8+) If the join_rule is restricted (v10+: or knock_restricted):
        if (rule == Rule.RESTRICTED || rule == Rule.KNOCK_RESTRICTED) {
            return restrictedJoin(ctx, invitedOrJoined);
        }
        // 5.3.6 If the join_rule is public, allow.
        if (rule == Rule.PUBLIC) {
            return AuthResult.allow(AuthRule.MEMBER_JOIN_PUBLIC);
        }
        // 5.3.7 Otherwise, reject.
        return AuthResult.reject(AuthRule.MEMBER_JOIN_OTHERWISE,
                "join rule " + rule + " does not let " + target + " join without an invite");
    }

    private static AuthResult restrictedJoin(AuthContext ctx, boolean invitedOrJoined) {
        // 5.3.5.1 If membership state is join or invite, allow.
        if (invitedOrJoined) {
            return AuthResult.allow(AuthRule.MEMBER_JOIN_RESTRICTED);
        }
        // 5.3.5.2 If join_authorised_via_users_server is not a joined user able to invite, reject.
        String authoriser = ctx.event.content().path(AUTHORISER_KEY).stringValue(null);
        if (authoriser == null || !ctx.is(authoriser, Membership.JOIN)
                || ctx.level(authoriser) < ctx.powerLevels.get("invite")) {
            return AuthResult.reject(AuthRule.MEMBER_JOIN_RESTRICTED,
                    "no joined user with the invite level authorised this join (" + authoriser + ")");
        }
        // 5.3.5.3 Otherwise, allow.
        return AuthResult.allow(AuthRule.MEMBER_JOIN_RESTRICTED);
    }

    private static AuthResult invite(AuthContext ctx) {
        String target = ctx.event.stateKey();
        // 5.4.2 If the sender's current membership state is not join, reject.
        if (!ctx.is(ctx.event.sender(), Membership.JOIN)) {
            return AuthResult.reject(AuthRule.MEMBER_INVITE_SENDER, "the inviter is not joined");
        }
        // 5.4.3 If target user's current membership state is join or ban, reject.
        if (ctx.is(target, Membership.JOIN) || ctx.is(target, Membership.BAN)) {
            return AuthResult.reject(AuthRule.MEMBER_INVITE_TARGET, target + " is joined or banned");
        }
        // 5.4.4 If the sender's power level is greater than or equal to the invite level, allow.
        if (ctx.senderLevel() >= ctx.powerLevels.get("invite")) {
            return AuthResult.allow(AuthRule.MEMBER_INVITE_POWER);
        }
        // 5.4.5 Otherwise, reject.
        return AuthResult.reject(AuthRule.MEMBER_INVITE_POWER, "the inviter lacks the invite level");
    }

    private static AuthResult leave(AuthContext ctx) {
        AuthEvent event = ctx.event;
        String target = event.stateKey();
        // 5.5.1 If the sender matches state_key, allow if and only if that user's current membership state is
        // invite, join, or (v7+) knock.
        if (event.sender().equals(target)) {
            boolean member = ctx.is(target, Membership.INVITE) || ctx.is(target, Membership.JOIN)
                    || ctx.is(target, Membership.KNOCK);
            return member ? AuthResult.allow(AuthRule.MEMBER_LEAVE_SELF)
                    : AuthResult.reject(AuthRule.MEMBER_LEAVE_SELF, target + " is not invited, joined or knocking");
        }
        // 5.5.2 If the sender's current membership state is not join, reject.
        if (!ctx.is(event.sender(), Membership.JOIN)) {
            return AuthResult.reject(AuthRule.MEMBER_LEAVE_SENDER, "the kicker is not joined");
        }
        // 5.5.3 If the target user's current membership state is ban, and the sender's power level is less than
        // the ban level, reject.
        if (ctx.is(target, Membership.BAN) && ctx.senderLevel() < ctx.powerLevels.get("ban")) {
            return AuthResult.reject(AuthRule.MEMBER_LEAVE_UNBAN, "unbanning needs the ban level");
        }
        // 5.5.4 If the sender's power level is greater than or equal to the kick level, and the target user's
        // power level is less than the sender's power level, allow.
        if (ctx.senderLevel() >= ctx.powerLevels.get("kick") && ctx.level(target) < ctx.senderLevel()) {
            return AuthResult.allow(AuthRule.MEMBER_LEAVE_KICK);
        }
        // 5.5.5 Otherwise, reject.
        return AuthResult.reject(AuthRule.MEMBER_LEAVE_KICK,
                "kicking needs the kick level and more power than " + target);
    }

    private static AuthResult ban(AuthContext ctx) {
        String target = ctx.event.stateKey();
        // 5.6.1 If the sender's current membership state is not join, reject.
        if (!ctx.is(ctx.event.sender(), Membership.JOIN)) {
            return AuthResult.reject(AuthRule.MEMBER_BAN_SENDER, "the banner is not joined");
        }
        // 5.6.2 If the sender's power level is greater than or equal to the ban level, and the target user's power
        // level is less than the sender's power level, allow.
        if (ctx.senderLevel() >= ctx.powerLevels.get("ban") && ctx.level(target) < ctx.senderLevel()) {
            return AuthResult.allow(AuthRule.MEMBER_BAN_POWER);
        }
        // 5.6.3 Otherwise, reject.
        return AuthResult.reject(AuthRule.MEMBER_BAN_POWER, "banning needs the ban level and more power than "
                + target);
    }

    private static AuthResult knock(AuthContext ctx) {
        AuthEvent event = ctx.event;
        Rule rule = JoinRules.of(ctx.state.get(JoinRules.TYPE, "").orElse(null), ctx.version).rule();
        // 5.7.1 If the join_rule is anything other than knock (v10+: or knock_restricted), reject.
        if (rule != Rule.KNOCK && rule != Rule.KNOCK_RESTRICTED) {
            return AuthResult.reject(AuthRule.MEMBER_KNOCK_JOIN_RULE, "join rule " + rule + " does not allow knocks");
        }
        // 5.7.2 If sender does not match state_key, reject.
        if (!event.sender().equals(event.stateKey())) {
            return AuthResult.reject(AuthRule.MEMBER_KNOCK_SENDER, "only " + event.stateKey() + " can knock");
        }
        // 5.7.3 If the sender's current membership is not ban, invite, or join, allow.
        String sender = event.sender();
        if (!ctx.is(sender, Membership.BAN) && !ctx.is(sender, Membership.INVITE) && !ctx.is(sender, Membership.JOIN)) {
            return AuthResult.allow(AuthRule.MEMBER_KNOCK_MEMBERSHIP);
        }
        // 5.7.4 Otherwise, reject.
        return AuthResult.reject(AuthRule.MEMBER_KNOCK_MEMBERSHIP, event.sender() + " is banned, invited or joined");
    }
}
