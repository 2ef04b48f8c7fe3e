package org.myelin.room.graph;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.myelin.db.room.EventRow;
import org.myelin.federation.protocol.auth.AuthEvent;
import org.myelin.federation.protocol.auth.AuthEventSelection;
import org.myelin.federation.protocol.auth.AuthRules;
import org.myelin.federation.protocol.auth.AuthState;
import org.myelin.federation.protocol.auth.EventAcceptance;
import org.myelin.federation.protocol.auth.EventAcceptance.Acceptance;
import org.myelin.federation.protocol.auth.StateTuple;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.event.EventIds;
import org.myelin.federation.protocol.event.EventSigning;
import org.myelin.federation.protocol.event.SignedEvent;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.json.CanonicalJson;
import org.myelin.federation.protocol.room.RoomVersion;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a draft into a signed, authorised event (pure CPU work, run on the CPU scheduler): fills in prev_events,
 * depth and auth_events, hashes and signs, enforces the 65536-byte limit, and checks the auth rules against the
 * state the event is sent into.
 */
final class EventBuilder {

    /** The spec's limit on a whole event in canonical federation format. */
    static final int MAX_EVENT_BYTES = 65536;

    private final EventSigning signing;
    private final EventAcceptance acceptance;

    EventBuilder(EventSigning signing, AuthRules authRules) {
        this.signing = signing;
        this.acceptance = new EventAcceptance(authRules);
    }

    /**
     * Builds the event on top of {@code prevEvents}.
     *
     * @param state the current state entries the auth events are chosen from (at least those of
     *              {@link #stateKeysFor}); empty for a create event
     */
    BuiltEvent build(EventDraft draft, RoomVersion version, List<EventRow> prevEvents, Collection<EventRow> state,
            long now) {
        Map<StateTuple, EventRow> byKey = new HashMap<>();
        state.forEach(row -> byKey.put(new StateTuple(row.type(), row.stateKey()), row));
        long depth = prevEvents.stream().mapToLong(EventRow::depth).max().orElse(0) + 1;
        List<EventRow> authEvents = new ArrayList<>();
        for (StateTuple key : AuthEventSelection.requiredAuthEventKeys(draft.type(), draft.stateKey(),
                draft.sender().toString(), draft.content(), version)) {
            EventRow row = byKey.get(key);
            if (row != null) {
                authEvents.add(row);
            }
        }
        ObjectNode proto = JsonNodeFactory.instance.objectNode();
        boolean derivedRoomId = version.roomIdFromCreateEvent() && isCreate(draft);
        if (!derivedRoomId) {
            proto.put("room_id", draft.roomId().value());
        }
        proto.put("sender", draft.sender().toString());
        proto.put("type", draft.type());
        if (draft.stateKey() != null) {
            proto.put("state_key", draft.stateKey());
        }
        ObjectNode content = draft.content();
        if (Redactions.TYPE.equals(draft.type()) && !version.redactsInContent() && content.has("redacts")) {
            // Before v11 the redacted event's ID is a top-level key of the redaction.
            proto.set("redacts", content.remove("redacts"));
        }
        proto.set("content", content);
        if (isInvite(draft)) {
            // The invite event of PUT /invite (api/server-server/definitions/invite_event.yaml) requires `origin`,
            // "the name of the inviting homeserver"; it is signed with the event, so it is set here.
            proto.put("origin", signing.origin().value());
        }
        proto.put("origin_server_ts", now);
        proto.put("depth", depth);
        proto.set("prev_events", references(prevEvents, version));
        proto.set("auth_events", references(authEvents, version));
        SignedEvent signed = signing.sign(proto, version);
        String canonical = new String(CanonicalJson.encode(signed.event(), CanonicalJson.Mode.of(version)),
                StandardCharsets.UTF_8);
        if (canonical.getBytes(StandardCharsets.UTF_8).length > MAX_EVENT_BYTES) {
            throw new MatrixException(ErrCode.M_TOO_LARGE, "Event is larger than " + MAX_EVENT_BYTES + " bytes");
        }
        authorise(signed, version, state, authEvents);
        RoomId roomId = derivedRoomId ? EventIds.roomIdOfCreateEvent(signed.event(), version) : draft.roomId();
        return new BuiltEvent(signed.eventId(), roomId, draft, canonical, depth, now,
                prevEvents.stream().map(EventRow::eventId).toList(),
                authEvents.stream().map(EventRow::eventId).toList());
    }

    /** The current state keys an event needs loaded: its auth events, the create event, and its own key. */
    static Set<StateTuple> stateKeysFor(EventDraft draft, RoomVersion version) {
        Set<StateTuple> keys = new LinkedHashSet<>(AuthEventSelection.requiredAuthEventKeys(draft.type(),
                draft.stateKey(), draft.sender().toString(), draft.content(), version));
        keys.add(new StateTuple("m.room.create", ""));
        if (draft.stateKey() != null) {
            keys.add(new StateTuple(draft.type(), draft.stateKey()));
        }
        return keys;
    }

    /**
     * The checks on receipt of a PDU, as for a remote event: against the auth events chosen for it, then against
     * the state it is sent into, which for a local event is both the state before it and the current state.
     */
    private void authorise(SignedEvent signed, RoomVersion version, Collection<EventRow> state,
            List<EventRow> authEvents) {
        Map<String, AuthEvent> views = new HashMap<>();
        state.forEach(row -> views.put(row.eventId(), new EventView(row.eventId(), parse(row.json(), version),
                version)));
        AuthState current = AuthState.ofRoomState(views.values());
        List<AuthEvent> listed = authEvents.stream().map(row -> views.get(row.eventId())).toList();
        AuthEvent create = version.roomIdFromCreateEvent() ? current.get("m.room.create", "").orElse(null) : null;
        Acceptance result = acceptance.check(new EventView(signed.eventId().value(), signed.event(), version),
                AuthState.ofAuthEvents(listed, create), current, current, version);
        if (!result.accepted()) {
            throw MatrixException.forbidden(result.reason());
        }
    }

    private static ArrayNode references(List<EventRow> events, RoomVersion version) {
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        for (EventRow event : events) {
            if (version.eventIdInPdu()) {
                JsonNode hashes = parse(event.json(), version).path("hashes");
                list.addArray().add(event.eventId()).add(hashes.isObject() ? hashes.deepCopy()
                        : JsonNodeFactory.instance.objectNode());
            } else {
                list.add(event.eventId());
            }
        }
        return list;
    }

    static JsonNode parse(String json, RoomVersion version) {
        return CanonicalJson.parse(json, CanonicalJson.Mode.of(version));
    }

    private static boolean isInvite(EventDraft draft) {
        return "m.room.member".equals(draft.type()) && "invite".equals(draft.content().path("membership").stringValue(""));
    }

    private static boolean isCreate(EventDraft draft) {
        return "m.room.create".equals(draft.type()) && "".equals(draft.stateKey());
    }
}
