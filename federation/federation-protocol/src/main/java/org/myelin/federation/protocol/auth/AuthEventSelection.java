package org.myelin.federation.protocol.auth;

import java.util.LinkedHashSet;
import java.util.Set;

import org.myelin.federation.protocol.room.RoomVersion;

import tools.jackson.databind.JsonNode;

/**
 * The server-server spec's "Auth events selection": which state entries an event's {@code auth_events} are drawn
 * from. Used both to build {@code auth_events} for new events and by auth rule 2.2 (v12: 3.2) to reject entries
 * that do not belong.
 */
public final class AuthEventSelection {

    /** The event type of third-party invites. */
    public static final String THIRD_PARTY_INVITE_TYPE = "m.room.third_party_invite";

    private AuthEventSelection() {
    }

    /**
     * The (type, state_key) pairs the auth events of this event may have; empty for a create event.
     *
     * @param stateKey the event's state key, or {@code null} for a non-state event
     * @param content  the event's content
     */
    public static Set<StateTuple> requiredAuthEventKeys(String type, String stateKey, String sender, JsonNode content,
            RoomVersion version) {
        Set<StateTuple> keys = new LinkedHashSet<>();
        if (RoomCreate.TYPE.equals(type)) {
            return keys;
        }
        // Depending on the room version, the m.room.create event (v12: never; the room ID stands for it).
        if (!version.roomIdFromCreateEvent()) {
            keys.add(new StateTuple(RoomCreate.TYPE, ""));
        }
        // The current m.room.power_levels event and the sender's current m.room.member event, if any.
        keys.add(new StateTuple(PowerLevels.TYPE, ""));
        keys.add(new StateTuple(Membership.TYPE, sender));
        if (!Membership.TYPE.equals(type) || stateKey == null) {
            return keys;
        }
        // For membership events: the target's member event.
        keys.add(new StateTuple(Membership.TYPE, stateKey));
        String membership = content.path("membership").stringValue("");
        // The join rules, if membership is join, invite or knock.
        if (membership.equals("join") || membership.equals("invite") || membership.equals("knock")) {
            keys.add(new StateTuple(JoinRules.TYPE, ""));
        }
        // The m.room.third_party_invite whose state_key is the invite's token.
        JsonNode token = content.path("third_party_invite").path("signed").path("token");
        if (membership.equals("invite") && token.isString()) {
            keys.add(new StateTuple(THIRD_PARTY_INVITE_TYPE, token.stringValue()));
        }
        // The authorising user's member event for restricted joins, where the version supports them.
        JsonNode authoriser = content.path("join_authorised_via_users_server");
        if (membership.equals("join") && authoriser.isString() && version.restrictedJoinAllowed()) {
            keys.add(new StateTuple(Membership.TYPE, authoriser.stringValue()));
        }
        return keys;
    }
}
