package org.myelin.federation.protocol.auth;

import java.util.LinkedHashSet;
import java.util.Set;

import org.myelin.federation.protocol.room.RoomVersion;

import tools.jackson.databind.JsonNode;

/**
 * What the auth rules read from a room's {@code m.room.create} event: who created the room, who the creators are,
 * and whether the room is federated.
 */
public final class RoomCreate {

    /** The event type of the create event. */
    public static final String TYPE = "m.room.create";

    private final AuthEvent event;
    private final String creator;
    private final Set<String> creators;

    private RoomCreate(AuthEvent event, String creator, Set<String> creators) {
        this.event = event;
        this.creator = creator;
        this.creators = creators;
    }

    /** Reads a create event under the rules of {@code version}. */
    public static RoomCreate of(AuthEvent create, RoomVersion version) {
        String creator = version.implicitRoomCreator()
                ? create.sender()
                : create.content().path("creator").stringValue(null);
        Set<String> creators = new LinkedHashSet<>();
        if (creator != null) {
            creators.add(creator);
        }
        if (version.privilegedCreators()) {
            JsonNode additional = create.content().path("additional_creators");
            for (JsonNode extra : additional.isArray() ? additional.values() : Set.<JsonNode>of()) {
                if (extra.isString()) {
                    creators.add(extra.stringValue());
                }
            }
        }
        return new RoomCreate(create, creator, Set.copyOf(creators));
    }

    /** The create event itself. */
    public AuthEvent event() {
        return event;
    }

    /** The room creator: {@code content.creator} in v1–10, the sender from v11; {@code null} if missing. */
    public String creator() {
        return creator;
    }

    /** The creators: the creator, plus {@code content.additional_creators} from v12 (which gives them infinite
     * power). */
    public Set<String> creators() {
        return creators;
    }

    /** False only when {@code content["m.federate"]} is the JSON value {@code false}. */
    public boolean federate() {
        JsonNode federate = event.content().path("m.federate");
        return !(federate.isBoolean() && !federate.booleanValue());
    }
}
