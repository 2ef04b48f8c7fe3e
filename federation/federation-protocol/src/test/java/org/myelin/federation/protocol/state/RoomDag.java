package org.myelin.federation.protocol.state;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.myelin.federation.protocol.auth.AuthEventSelection;
import org.myelin.federation.protocol.auth.AuthRules;
import org.myelin.federation.protocol.auth.StateTuple;
import org.myelin.federation.protocol.room.RoomVersion;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A room DAG built from symbolic event IDs ({@code $CREATE}, {@code $PA}, …) and prev_events edges. The state
 * before each event is the resolution of the states after its prev_events; its auth_events are picked from that
 * state by the auth events selection; timestamps increase in creation order. Starts from the base room CREATE,
 * IMA, IPOWER (alice 100), IJR (public), IMB, IMC, IMZ (joins of alice, bob, charlie, zara).
 */
final class RoomDag {

    static final String ALICE = "@alice:example.com";
    static final String BOB = "@bob:example.com";
    static final String CHARLIE = "@charlie:example.com";
    static final String EVELYN = "@evelyn:example.com";
    static final String ZARA = "@zara:example.com";
    static final String MEMBER = "m.room.member";
    static final String POWER = "m.room.power_levels";
    static final String JOIN_RULES = "m.room.join_rules";
    static final String TOPIC = "m.room.topic";

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final RoomVersion version;
    private final StateResolution resolver =
            new StateResolution(new AuthRules((signed, keys) -> true, (event, server) -> true));
    private final Map<String, JsonEvent> events = new LinkedHashMap<>();
    private final Map<String, Map<StateTuple, String>> stateAfter = new HashMap<>();
    private long clock;

    RoomDag(RoomVersion version) {
        this.version = version;
        ObjectNode create = json("{\"room_version\":\"" + version.id() + "\"}");
        if (!version.implicitRoomCreator()) {
            create.put("creator", ALICE);
        }
        add("CREATE", ALICE, "m.room.create", "", create);
        state("IMA", ALICE, MEMBER, ALICE, "{\"membership\":\"join\"}", "CREATE");
        String users = version.privilegedCreators() ? "{}" : "{\"" + ALICE + "\":100}";
        state("IPOWER", ALICE, POWER, "", "{\"users\":" + users + "}", "IMA");
        state("IJR", ALICE, JOIN_RULES, "", "{\"join_rule\":\"public\"}", "IPOWER");
        state("IMB", BOB, MEMBER, BOB, "{\"membership\":\"join\"}", "IJR");
        state("IMC", CHARLIE, MEMBER, CHARLIE, "{\"membership\":\"join\"}", "IMB");
        state("IMZ", ZARA, MEMBER, ZARA, "{\"membership\":\"join\"}", "IMC");
    }

    /** Adds a state event with this content (JSON text) after {@code prevs}; returns its event ID. */
    String state(String name, String sender, String type, String stateKey, String content, String... prevs) {
        return add(name, sender, type, stateKey, json(content), prevs);
    }

    /** Adds a message (non-state) event after {@code prevs}. */
    String message(String name, String sender, String... prevs) {
        return add(name, sender, "m.room.message", null, json("{\"body\":\"" + name + "\"}"), prevs);
    }

    /** The resolution of the states after {@code leaves} (symbolic names). */
    Map<StateTuple, String> resolve(String... leaves) {
        List<Map<StateTuple, String>> states = new ArrayList<>();
        for (String leaf : leaves) {
            states.add(stateAfter.get(id(leaf)));
        }
        return resolver.resolve(version, states, lookup());
    }

    /** The state after {@code name}, overwritten with the given events: what a scenario expects. */
    Map<StateTuple, String> stateAfterWith(String name, String... expected) {
        Map<StateTuple, String> state = new HashMap<>(stateAfter.get(id(name)));
        for (String event : expected) {
            state.put(events.get(id(event)).tuple(), id(event));
        }
        return state;
    }

    EventLookup lookup() {
        return id -> Optional.ofNullable(events.get(id));
    }

    static String id(String name) {
        return "$" + name;
    }

    private String add(String name, String sender, String type, String stateKey, ObjectNode content,
            String... prevs) {
        List<Map<StateTuple, String>> prevStates = new ArrayList<>();
        List<String> prevIds = new ArrayList<>();
        for (String prev : prevs) {
            prevIds.add(id(prev));
            prevStates.add(stateAfter.get(id(prev)));
        }
        Map<StateTuple, String> before = new HashMap<>(resolver.resolve(version, prevStates, lookup()));
        List<String> authIds = new ArrayList<>();
        for (StateTuple key : AuthEventSelection.requiredAuthEventKeys(type, stateKey, sender, content, version)) {
            if (before.containsKey(key)) {
                authIds.add(before.get(key));
            }
        }
        ObjectNode pdu = MAPPER.createObjectNode();
        pdu.put("event_id", id(name));
        boolean create = "m.room.create".equals(type);
        if (!(create && version.roomIdFromCreateEvent())) {
            pdu.put("room_id", version.roomIdFromCreateEvent() ? "!CREATE" : "!room:example.com");
        }
        pdu.put("sender", sender).put("type", type).put("origin_server_ts", clock++);
        if (stateKey != null) {
            pdu.put("state_key", stateKey);
        }
        pdu.set("content", content);
        prevIds.forEach(pdu.putArray("prev_events")::add);
        authIds.forEach(pdu.putArray("auth_events")::add);
        JsonEvent event = new JsonEvent(pdu);
        events.put(id(name), event);
        if (stateKey != null) {
            before.put(event.tuple(), id(name));
        }
        stateAfter.put(id(name), before);
        return id(name);
    }

    private static ObjectNode json(String text) {
        return (ObjectNode) MAPPER.readTree(text);
    }
}
