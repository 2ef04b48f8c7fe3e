package org.myelin.federation.protocol.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.myelin.federation.protocol.room.RoomVersion;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Loads the table-driven cases in {@code src/test/resources/auth/*.json}. Each file gives a room's state
 * ({@code auth_events}), optional {@code other_events} that are not in the state but may be listed by an event,
 * and {@code allowed} / {@code not_allowed} cases. A case names the rule it exercises, the room versions it applies
 * to ("1-12", "8-12", "1,2"), a reason, the event, and optionally: {@code with} (state events replacing or adding to
 * the room state), {@code without} ([type, state_key] pairs removed), {@code rejected} (event IDs marked rejected)
 * and {@code decided_by} (the rule expected in the result, when another rule than the exercised one decides).
 * An event with {@code auth_events} is checked against those events (so rule 2 applies), any other against the
 * room state.
 */
final class AuthCases {

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    /** One case under one expectation. */
    record AuthCase(String file, boolean allowed, int index, JsonNode json, JsonNode room) {

        String rule() {
            return json.path("rule").stringValue();
        }

        String expectedRule() {
            return json.has("decided_by") ? json.get("decided_by").stringValue() : allowed ? null : rule();
        }

        Set<Integer> versions() {
            return parseVersions(json.path("versions").stringValue());
        }

        String name() {
            return file + " " + (allowed ? "allowed" : "not_allowed") + "[" + index + "] " + rule() + ": "
                    + json.path("reason").stringValue();
        }

        /** The event under check, read as under {@code version}. */
        JsonAuthEvent event(RoomVersion version) {
            return new JsonAuthEvent(json.get("event"), version, false);
        }

        /** The state the event is checked against under {@code version}. */
        AuthState state(RoomVersion version) {
            Set<String> rejected = new TreeSet<>();
            json.path("rejected").values().forEach(id -> rejected.add(id.stringValue()));
            Map<StateTuple, JsonAuthEvent> state = new LinkedHashMap<>();
            Stream.concat(room.path("auth_events").values().stream(), json.path("with").values().stream())
                    .map(event -> new JsonAuthEvent(event, version, rejected.contains(event.path("event_id")
                            .stringValue())))
                    .forEach(event -> state.put(StateTuple.of(event), event));
            for (JsonNode pair : json.path("without").values()) {
                state.remove(new StateTuple(pair.get(0).stringValue(), pair.get(1).stringValue()));
            }
            JsonNode event = json.get("event");
            if (!event.has("auth_events")) {
                return AuthState.ofRoomState(state.values());
            }
            Map<String, JsonAuthEvent> pool = new LinkedHashMap<>();
            state.values().forEach(stateEvent -> pool.put(stateEvent.eventId(), stateEvent));
            room.path("other_events").values().forEach(other -> pool.put(other.path("event_id").stringValue(),
                    new JsonAuthEvent(other, version, rejected.contains(other.path("event_id").stringValue()))));
            List<AuthEvent> listed = new ArrayList<>();
            event.get("auth_events").values().stream().map(id -> pool.get(id.stringValue()))
                    .filter(Objects::nonNull).forEach(listed::add);
            AuthEvent create = version.roomIdFromCreateEvent()
                    ? state.get(new StateTuple(RoomCreate.TYPE, "")) : null;
            return AuthState.ofAuthEvents(listed, create);
        }
    }

    private AuthCases() {
    }

    /** Every case of every file, in file order. */
    static List<AuthCase> load() {
        List<AuthCase> cases = new ArrayList<>();
        for (Path file : files()) {
            JsonNode room = MAPPER.readTree(file.toFile());
            String name = file.getFileName().toString();
            int index = 0;
            for (JsonNode json : room.path("allowed").values()) {
                cases.add(new AuthCase(name, true, index++, json, room));
            }
            index = 0;
            for (JsonNode json : room.path("not_allowed").values()) {
                cases.add(new AuthCase(name, false, index++, json, room));
            }
        }
        return cases;
    }

    private static List<Path> files() {
        try (Stream<Path> files = Files.list(Path.of(AuthCases.class.getResource("/auth").toURI()))) {
            return files.filter(path -> path.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** "1-12" or "1-5,7" as the set of version numbers. */
    static Set<Integer> parseVersions(String spec) {
        Set<Integer> versions = new TreeSet<>();
        for (String part : spec.split(",")) {
            String[] range = part.trim().split("-");
            int from = Integer.parseInt(range[0]);
            int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
            for (int version = from; version <= to; version++) {
                versions.add(version);
            }
        }
        return versions;
    }

    /** The rules under test with fake verifiers: a server signed an event if {@code signatures} has its name; a
     * third-party signature verifies under key K if it is the string "signed-with:K". */
    static AuthRules rules() {
        return new AuthRules(AuthCases::fakeThirdPartySignature,
                (event, server) -> ((JsonAuthEvent) event).signatures().has(server));
    }

    private static boolean fakeThirdPartySignature(JsonNode signed, List<String> publicKeys) {
        for (JsonNode byServer : signed.path("signatures").values()) {
            for (JsonNode signature : byServer.values()) {
                if (publicKeys.stream().anyMatch(key -> ("signed-with:" + key).equals(signature.stringValue(null)))) {
                    return true;
                }
            }
        }
        return false;
    }
}
