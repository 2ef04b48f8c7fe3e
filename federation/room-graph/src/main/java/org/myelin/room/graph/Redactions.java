package org.myelin.room.graph;

import java.util.List;

import org.myelin.db.room.EventRow;
import org.myelin.db.room.RedactionRepository;
import org.myelin.federation.protocol.auth.AuthEvent;
import org.myelin.federation.protocol.auth.PowerLevels;
import org.myelin.federation.protocol.auth.RoomCreate;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.room.RoomVersion;

import reactor.core.publisher.Mono;

/**
 * Redactions in the append path, inside the room lock. Room versions 1–2 authorise a redaction by the auth rules
 * (redact level, or the redacted event's ID has the redaction's server); later versions leave it to "Handling
 * redactions", which this enforces for local senders: the sender must have the redact level or have sent the
 * redacted event. An accepted redaction of a stored event of the room marks that event redacted, so reads return
 * its redacted form. A redaction of an unknown event is kept and applies to nothing, as the spec allows.
 */
final class Redactions {

    /** The event type of redactions. */
    static final String TYPE = "m.room.redaction";

    private final RoomStore store;
    private final RedactionRepository redactions;

    Redactions(RoomStore store) {
        this.store = store;
        this.redactions = new RedactionRepository(store.db());
    }

    /**
     * Checks a redaction draft before it is built: it names the event to redact, that event is not in another
     * room, and (v3+) the sender may redact it.
     *
     * @param state the current state the event is built on (holds the create and power levels events)
     */
    Mono<Void> check(EventDraft draft, RoomVersion version, List<EventRow> state) {
        if (!TYPE.equals(draft.type())) {
            return Mono.empty();
        }
        String target = target(draft);
        if (target == null) {
            return Mono.error(MatrixException.badJson("A redaction needs the ID of the event it redacts"));
        }
        return store.events().find(target).flatMap(redacted -> {
            if (!redacted.roomId().equals(draft.roomId().value())) {
                return Mono.error(MatrixException.invalidParam("Cannot redact an event of another room"));
            }
            if (version.eventIdInPdu() || redacted.sender().equals(draft.sender().toString())
                    || mayRedactOthers(draft, version, state)) {
                return Mono.empty();
            }
            return Mono.error(MatrixException.forbidden("You don't have permission to redact this event"));
        });
    }

    /** Marks the redacted event once the redaction is persisted. */
    Mono<Void> apply(BuiltEvent built) {
        EventDraft draft = built.draft();
        String target = TYPE.equals(draft.type()) ? target(draft) : null;
        return target == null ? Mono.empty()
                : redactions.markRedacted(built.roomId().value(), target, built.eventId().value());
    }

    /** The redacted event's ID: drafts carry it in {@code content.redacts} whatever the room version. */
    static String target(EventDraft draft) {
        var redacts = draft.content().path("redacts");
        return redacts.isString() ? redacts.stringValue() : null;
    }

    private static boolean mayRedactOthers(EventDraft draft, RoomVersion version, List<EventRow> state) {
        AuthEvent create = view(state, RoomCreate.TYPE, version);
        if (create == null) {
            return false;
        }
        PowerLevels levels = PowerLevels.of(view(state, PowerLevels.TYPE, version), RoomCreate.of(create, version),
                version);
        return levels.userLevel(draft.sender().toString()) >= levels.get("redact");
    }

    private static AuthEvent view(List<EventRow> state, String type, RoomVersion version) {
        return state.stream().filter(row -> type.equals(row.type()) && "".equals(row.stateKey())).findFirst()
                .map(row -> (AuthEvent) new EventView(row.eventId(), EventBuilder.parse(row.json(), version),
                        version))
                .orElse(null);
    }
}
