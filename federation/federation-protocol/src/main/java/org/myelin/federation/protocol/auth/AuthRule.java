package org.myelin.federation.protocol.auth;

/**
 * Every rule of the authorisation rules of room versions 1–12, named by a stable id. The spec numbers rules
 * differently per version (v1–2 and v3–5 have the aliases rule 4, v6–11 drop it, v12 inserts the room-ID rule 2),
 * so results and tests name rules by id; comments in the rule classes give the room-v12 number, then the older one.
 *
 * <p>Section numbers per version: create 1; v12 room ID 2; auth events 2 (v12: 3); {@code m.federate} 3 (v12: 4);
 * aliases 4 (v1–5 only); member 5 (v1–5), 4 (v6–11), 5 (v12); sender joined 6/5/6; third-party invite 7/6/7;
 * required power 8/7/8; {@code @} state key 9/8/9; power levels 10/9/10; redaction 11 (v1–2 only); otherwise
 * 12 (v1–2), 11 (v3–5), 10 (v6–11), 11 (v12).
 */
public enum AuthRule {
    /** Create 1.1: a create event has no prev_events. */
    CREATE_PREV_EVENTS("create.prev_events"),
    /** Create 1.2: v1–11 the room ID's domain is the sender's; v12 the create event has no room_id. */
    CREATE_ROOM_ID("create.room_id"),
    /** Create 1.3: content.room_version, when present, is a known version. */
    CREATE_ROOM_VERSION("create.room_version"),
    /** Create 1.4 (v1–10): content has a creator. */
    CREATE_CREATOR("create.creator"),
    /** Create 1.4 (v12): content.additional_creators, when present, is an array of valid user IDs. */
    CREATE_ADDITIONAL_CREATORS("create.additional_creators"),
    /** Create 1.5: otherwise allow. */
    CREATE_OTHERWISE("create.otherwise"),
    /** v12 rule 2: the room ID names an accepted create event. */
    ROOM_ID_CREATE_EVENT("room_id.create_event"),
    /** NOTSPEC: the events supplied as auth events must be exactly those the event lists, so none is skipped. */
    AUTH_EVENTS_LISTED("auth_events.listed"),
    /** Auth events 2.1: no two entries share a (type, state_key). */
    AUTH_EVENTS_DUPLICATE("auth_events.duplicate"),
    /** Auth events 2.2: every entry is one the auth events selection would pick (v12: never the create event). */
    AUTH_EVENTS_UNEXPECTED("auth_events.unexpected"),
    /** Auth events 2.3: no entry was itself rejected. */
    AUTH_EVENTS_REJECTED("auth_events.rejected"),
    /** Auth events 2.4 (v1–11): the create event is among the entries. */
    AUTH_EVENTS_CREATE("auth_events.create"),
    /** Auth events 2.5: every entry is in the event's room. */
    AUTH_EVENTS_ROOM_ID("auth_events.room_id"),
    /** Rule 3: m.federate false keeps out senders from other servers than the creator's. */
    FEDERATE("federate"),
    /** Aliases 4.1 (v1–5): the event has a state_key. */
    ALIASES_STATE_KEY("aliases.state_key"),
    /** Aliases 4.2 (v1–5): the sender's domain is the state_key. */
    ALIASES_DOMAIN("aliases.domain"),
    /** Aliases 4.3 (v1–5): otherwise allow. */
    ALIASES_OTHERWISE("aliases.otherwise"),
    /** Member 5.1: there is a state_key and content.membership. */
    MEMBER_SHAPE("member.shape"),
    /** Member 5.2 (v8+): join_authorised_via_users_server requires that server's signature. */
    MEMBER_JOIN_AUTHORISED_SIGNATURE("member.join_authorised_signature"),
    /** Join 5.3.1: the creator's first join straight after the create event is allowed. */
    MEMBER_JOIN_CREATOR("member.join.creator"),
    /** Join 5.3.2: only the user themself can join. */
    MEMBER_JOIN_SENDER("member.join.sender"),
    /** Join 5.3.3: a banned user cannot join. */
    MEMBER_JOIN_BANNED("member.join.banned"),
    /** Join 5.3.4: join rule invite (or knock, v7+) allows invited or joined users. */
    MEMBER_JOIN_INVITE_RULE("member.join.invite_rule"),
    /** Join 5.3.5 (v8+): join rule restricted (or knock_restricted, v10+). */
    MEMBER_JOIN_RESTRICTED("member.join.restricted"),
    /** Join 5.3.6: join rule public allows. */
    MEMBER_JOIN_PUBLIC("member.join.public"),
    /** Join 5.3.7: otherwise reject. */
    MEMBER_JOIN_OTHERWISE("member.join.otherwise"),
    /** Third-party invite 5.4.1.1: the target is not banned. */
    MEMBER_INVITE_3PID_BANNED("member.invite.third_party.banned"),
    /** Third-party invite 5.4.1.2: third_party_invite has signed. */
    MEMBER_INVITE_3PID_SIGNED("member.invite.third_party.signed"),
    /** Third-party invite 5.4.1.3: signed has mxid and token. */
    MEMBER_INVITE_3PID_FIELDS("member.invite.third_party.fields"),
    /** Third-party invite 5.4.1.4: mxid is the state_key. */
    MEMBER_INVITE_3PID_MXID("member.invite.third_party.mxid"),
    /** Third-party invite 5.4.1.5: an m.room.third_party_invite with the token exists. */
    MEMBER_INVITE_3PID_TOKEN("member.invite.third_party.token"),
    /** Third-party invite 5.4.1.6: the sender sent that m.room.third_party_invite. */
    MEMBER_INVITE_3PID_SENDER("member.invite.third_party.sender"),
    /** Third-party invite 5.4.1.7–8: a signature in signed matches a public key of the invite. */
    MEMBER_INVITE_3PID_SIGNATURE("member.invite.third_party.signature"),
    /** Invite 5.4.2: the sender is joined. */
    MEMBER_INVITE_SENDER("member.invite.sender_joined"),
    /** Invite 5.4.3: the target is neither joined nor banned. */
    MEMBER_INVITE_TARGET("member.invite.target"),
    /** Invite 5.4.4–5: the sender has the invite level. */
    MEMBER_INVITE_POWER("member.invite.power"),
    /** Leave 5.5.1: leaving yourself needs membership invite, join (or knock, v7+). */
    MEMBER_LEAVE_SELF("member.leave.self"),
    /** Leave 5.5.2: a kicker is joined. */
    MEMBER_LEAVE_SENDER("member.leave.sender_joined"),
    /** Leave 5.5.3: unbanning needs the ban level. */
    MEMBER_LEAVE_UNBAN("member.leave.unban_power"),
    /** Leave 5.5.4–5: kicking needs the kick level and more power than the target. */
    MEMBER_LEAVE_KICK("member.leave.kick_power"),
    /** Ban 5.6.1: the sender is joined. */
    MEMBER_BAN_SENDER("member.ban.sender_joined"),
    /** Ban 5.6.2–3: banning needs the ban level and more power than the target. */
    MEMBER_BAN_POWER("member.ban.power"),
    /** Knock 5.7.1 (v7+): the join rule is knock (or knock_restricted, v10+). */
    MEMBER_KNOCK_JOIN_RULE("member.knock.join_rule"),
    /** Knock 5.7.2 (v7+): only the user themself can knock. */
    MEMBER_KNOCK_SENDER("member.knock.sender"),
    /** Knock 5.7.3–4 (v7+): a banned, invited or joined user cannot knock. */
    MEMBER_KNOCK_MEMBERSHIP("member.knock.membership"),
    /** Member 5.8: an unknown membership is rejected. */
    MEMBER_UNKNOWN("member.unknown"),
    /** Rule 6: the sender is joined. */
    SENDER_JOINED("sender_joined"),
    /** Rule 7: m.room.third_party_invite needs the invite level. */
    THIRD_PARTY_INVITE("third_party_invite"),
    /** Rule 8: the sender has the event type's required power level. */
    REQUIRED_POWER("required_power"),
    /** Rule 9: a state_key starting with @ must be the sender. */
    STATE_KEY_USER("state_key_user"),
    /** Power levels 10.1 (v10+): top-level levels are integers. */
    POWER_LEVELS_INTEGERS("power_levels.integers"),
    /** Power levels 10.2 (v10+): events and notifications are objects of integers. */
    POWER_LEVELS_MAPS("power_levels.maps"),
    /** Power levels 10.3: users is an object of valid user IDs to integers. */
    POWER_LEVELS_USERS("power_levels.users"),
    /** Power levels 10.4 (v12): users does not name a creator. */
    POWER_LEVELS_CREATORS("power_levels.creators"),
    /** Power levels 10.5: the first power levels event is allowed. */
    POWER_LEVELS_FIRST("power_levels.first"),
    /** Power levels 10.6: altered top-level levels are within the sender's power, before and after. */
    POWER_LEVELS_TOP_LEVEL("power_levels.top_level"),
    /** Power levels 10.7–8 for events: altered event levels are within the sender's power. */
    POWER_LEVELS_EVENTS("power_levels.events"),
    /** Power levels 10.7–8 for notifications (v6+): altered notification levels are within the sender's power. */
    POWER_LEVELS_NOTIFICATIONS("power_levels.notifications"),
    /** Power levels 10.9: changing or removing another user's level needs more power than their current level. */
    POWER_LEVELS_USERS_CHANGED("power_levels.users_changed"),
    /** Power levels 10.10: a user's new level is within the sender's power. */
    POWER_LEVELS_USERS_GRANTED("power_levels.users_granted"),
    /** Power levels 10.11: otherwise allow. */
    POWER_LEVELS_OTHERWISE("power_levels.otherwise"),
    /** Rule 11 (v1–2): a redaction needs the redact level or the same event ID domain as the redacted event. */
    REDACTION("redaction"),
    /** The last rule: otherwise allow. */
    OTHERWISE("otherwise");

    private final String id;

    AuthRule(String id) {
        this.id = id;
    }

    /** The stable id, used in results, logs and test cases. */
    public String id() {
        return id;
    }
}
