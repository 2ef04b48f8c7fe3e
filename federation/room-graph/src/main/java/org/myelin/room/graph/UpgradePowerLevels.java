package org.myelin.room.graph;

import java.util.Map;
import java.util.Set;

import org.myelin.federation.protocol.auth.PowerLevels;
import org.myelin.federation.protocol.room.RoomVersion;

import tools.jackson.databind.node.ObjectNode;

/**
 * The power levels a room upgrade writes (spec "Room upgrades", server behaviour; values as Synapse picks them):
 * the old room's levels carried into the new room, the upgrader raised for as long as the old state is copied,
 * and the old room restricted so that ordinary members can no longer talk in it.
 */
final class UpgradePowerLevels {

    /** Synapse's floor for events_default and invite in a replaced room. */
    private static final long RESTRICTED_MIN = 50;
    /** The level given to v12 creators when the new room's version has no privileged creators. */
    private static final long FORMER_CREATOR = 100;

    private UpgradePowerLevels() {
    }

    /**
     * The old room's levels as the new room's final power levels: every level an integer (new versions accept
     * nothing else), the new room's privileged creators left out of {@code users} (v12 rejects them there) and, when
     * only the old room had privileged creators, its creators given level 100.
     *
     * @param old         the old room's power levels (its version's rules applied)
     * @param oldContent  the old power levels content, whose other keys are kept
     * @param oldCreators the old room's creators
     * @param newCreators the new room's creators
     */
    static ObjectNode carried(PowerLevels old, ObjectNode oldContent, Set<String> oldCreators,
            RoomVersion newVersion, Set<String> newCreators) {
        ObjectNode content = oldContent.deepCopy();
        old.explicitTopLevel().forEach(content::put);
        putAll(content.putObject("events"), old.events());
        putAll(content.putObject("notifications"), old.notifications());
        ObjectNode users = content.putObject("users");
        putAll(users, old.users());
        if (newVersion.privilegedCreators()) {
            newCreators.forEach(users::remove);
        } else {
            oldCreators.stream().filter(c -> old.userLevel(c) == PowerLevels.INFINITE)
                    .forEach(c -> users.put(c, FORMER_CREATOR));
        }
        return content;
    }

    /**
     * {@code carried} with the upgrader raised to the highest level any copied state needs (state_default, ban and
     * every events level), or {@code carried} itself when the upgrader already has it or is a creator.
     */
    static ObjectNode raised(ObjectNode carried, String upgrader, RoomVersion newVersion, Set<String> newCreators) {
        if (newVersion.privilegedCreators() && newCreators.contains(upgrader)) {
            return carried;
        }
        long needed = Math.max(carried.path("state_default").asLong(50), carried.path("ban").asLong(50));
        for (var entry : carried.path("events").properties()) {
            needed = Math.max(needed, entry.getValue().asLong());
        }
        long current = carried.path("users").has(upgrader) ? carried.path("users").path(upgrader).asLong()
                : carried.path("users_default").asLong(0);
        if (current >= needed) {
            return carried;
        }
        ObjectNode raised = carried.deepCopy();
        ((ObjectNode) raised.get("users")).put(upgrader, needed);
        return raised;
    }

    /**
     * The old room's power levels with events_default and invite raised to max(50, users_default + 1), or null
     * when both are already that high.
     */
    static ObjectNode restricted(PowerLevels old, ObjectNode oldContent) {
        long level = Math.max(RESTRICTED_MIN, old.get("users_default") + 1);
        ObjectNode content = oldContent.deepCopy();
        boolean changed = false;
        for (String key : new String[] {"events_default", "invite"}) {
            if (old.get(key) < level) {
                content.put(key, level);
                changed = true;
            }
        }
        return changed ? content : null;
    }

    private static void putAll(ObjectNode target, Map<String, Long> levels) {
        levels.forEach(target::put);
    }
}
