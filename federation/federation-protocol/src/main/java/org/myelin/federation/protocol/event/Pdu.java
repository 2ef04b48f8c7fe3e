package org.myelin.federation.protocol.event;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.EventId;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.federation.protocol.json.CanonicalJson;
import org.myelin.federation.protocol.json.CanonicalJson.Mode;
import org.myelin.federation.protocol.room.RoomVersion;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A persistent data unit of a known room version: its canonical JSON bytes (what is stored and sent on), a
 * read-only tree view, and typed accessors that work for every PDU format. Rooms v1–2 carry {@code event_id}
 * and list {@code prev_events}/{@code auth_events} as {@code [event_id, hashes]} pairs; v3+ list plain IDs and
 * compute the ID from the reference hash; a v12 {@code m.room.create} has no {@code room_id}, its room ID is
 * derived from its event ID.
 *
 * <p>Construction checks the fields the accessors read and throws {@code M_BAD_JSON} when one is missing or of
 * the wrong type. It is not the full per-version format check.
 */
public final class Pdu {

    private final RoomVersion version;
    private final byte[] canonical;
    private final ObjectNode json;
    private final EventId eventId;
    private final RoomId roomId;
    private final UserId sender;
    private final List<EventId> prevEvents;
    private final List<EventId> authEvents;

    private Pdu(ObjectNode json, RoomVersion version) {
        this.version = version;
        this.json = json;
        this.canonical = CanonicalJson.encode(json, Mode.of(version));
        requireString("type");
        requireInteger("depth");
        requireInteger("origin_server_ts");
        if (json.has("state_key")) {
            requireString("state_key");
        }
        this.eventId = EventIds.compute(json, version);
        this.sender = parse("sender", UserId::parse);
        this.roomId = roomIdOf(json, version);
        this.prevEvents = eventIds("prev_events");
        this.authEvents = eventIds("auth_events");
    }

    /** Parses PDU bytes received for a room of this version, applying its canonical JSON strictness. */
    public static Pdu parse(byte[] json, RoomVersion version) {
        return new Pdu(CanonicalJson.parseObject(json, Mode.of(version)), version);
    }

    /** Wraps a tree (copied, so later changes to it do not leak in) as a PDU of this room version. */
    public static Pdu of(JsonNode json, RoomVersion version) {
        if (!json.isObject()) {
            throw MatrixException.badJson("A PDU must be a JSON object");
        }
        return parse(CanonicalJson.encode(json, Mode.of(version)), version);
    }

    /** The room version whose rules this PDU follows. */
    public RoomVersion roomVersion() {
        return version;
    }

    /** A copy of the canonical JSON bytes of the whole event, as signed and stored. */
    public byte[] canonicalBytes() {
        return canonical.clone();
    }

    /** The canonical JSON as a string. */
    public String canonicalJson() {
        return new String(canonical, StandardCharsets.UTF_8);
    }

    /** A mutable deep copy of the event tree. */
    public ObjectNode json() {
        return json.deepCopy();
    }

    /** The event ID, read from the PDU (v1–2) or computed from the reference hash (v3+). */
    public EventId eventId() {
        return eventId;
    }

    /** The room ID; for a room v12 create event, derived from its event ID. */
    public RoomId roomId() {
        return roomId;
    }

    /** The event type, e.g. {@code m.room.member}. */
    public String type() {
        return json.get("type").stringValue();
    }

    /** The state key; empty for non-state events. */
    public Optional<String> stateKey() {
        return json.has("state_key") ? Optional.of(json.get("state_key").stringValue()) : Optional.empty();
    }

    /** True for state events, i.e. those with a {@code state_key}. */
    public boolean isState() {
        return json.has("state_key");
    }

    /** The user who sent the event. */
    public UserId sender() {
        return sender;
    }

    /** The events this one follows in the room DAG. */
    public List<EventId> prevEvents() {
        return prevEvents;
    }

    /** The events that authorise this one. */
    public List<EventId> authEvents() {
        return authEvents;
    }

    /** The event's depth in the DAG. */
    public long depth() {
        return json.get("depth").longValue();
    }

    /** The sending server's timestamp, in milliseconds since the Unix epoch. */
    public long originServerTs() {
        return json.get("origin_server_ts").longValue();
    }

    /** A copy of the content; an empty object when the event has none. */
    public ObjectNode content() {
        JsonNode content = json.get("content");
        return content != null && content.isObject() ? (ObjectNode) content.deepCopy()
                : JsonNodeFactory.instance.objectNode();
    }

    /** True for the {@code m.room.create} state event. */
    public boolean isCreateEvent() {
        return "m.room.create".equals(type()) && stateKey().filter(String::isEmpty).isPresent();
    }

    @Override
    public String toString() {
        return "Pdu[" + eventId + " " + type() + " in " + roomId + "]";
    }

    private RoomId roomIdOf(ObjectNode json, RoomVersion version) {
        if (version.roomIdFromCreateEvent() && isCreateEvent()) {
            if (json.has("room_id")) {
                throw MatrixException.badJson("A room version " + version.id() + " create event has no room_id");
            }
            return RoomId.fromCreateEventId(eventId);
        }
        return parse("room_id", RoomId::parse);
    }

    /** Reads prev_events or auth_events: plain IDs in v3+, {@code [id, hashes]} pairs in v1–2. */
    private List<EventId> eventIds(String field) {
        JsonNode list = json.get(field);
        if (list == null || !list.isArray()) {
            throw MatrixException.badJson("PDU field " + field + " must be an array");
        }
        List<EventId> ids = new ArrayList<>(list.size());
        for (JsonNode entry : list) {
            JsonNode id = version.eventIdInPdu() ? entry.path(0) : entry;
            if (!id.isString() || (version.eventIdInPdu() && !entry.isArray())) {
                throw MatrixException.badJson("PDU field " + field + " has a malformed entry");
            }
            ids.add(parse(field, id.stringValue(), EventId::parse));
        }
        return List.copyOf(ids);
    }

    private <T> T parse(String field, Function<String, T> parser) {
        return parse(field, requireString(field), parser);
    }

    private static <T> T parse(String field, String value, Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (MatrixException e) {
            throw MatrixException.badJson("PDU field " + field + ": " + e.getMessage());
        }
    }

    private String requireString(String field) {
        JsonNode value = json.get(field);
        if (value == null || !value.isString()) {
            throw MatrixException.badJson("PDU field " + field + " must be a string");
        }
        return value.stringValue();
    }

    private void requireInteger(String field) {
        JsonNode value = json.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
            throw MatrixException.badJson("PDU field " + field + " must be an integer");
        }
    }
}
