package org.myelin.db.slidingsync;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.myelin.db.room.StateKey;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Which entries of a room state a sliding sync read takes, as a WHERE clause on state entries {@code e} (columns
 * {@code type}, {@code state_key}): every entry (optionally every entry but the member events), every entry of
 * some types, every entry with some state keys whatever the type, and single (type, state_key) entries. The
 * entries are OR'ed; an empty query matches nothing.
 *
 * @param everything     every entry of the state
 * @param exceptMembers  with {@code everything}: no m.room.member entry but the ones {@code keys} names
 * @param types          types whose every entry is wanted
 * @param anyTypeKeys    state keys wanted in every type
 * @param keys           single entries
 */
public record StateQuery(boolean everything, boolean exceptMembers, Collection<String> types,
        Collection<String> anyTypeKeys, Collection<StateKey> keys) {

    public StateQuery {
        types = List.copyOf(types);
        anyTypeKeys = List.copyOf(anyTypeKeys);
        keys = List.copyOf(keys);
    }

    /** Whether the query matches no entry at all (nothing needs reading). */
    public boolean isEmpty() {
        return !everything && types.isEmpty() && anyTypeKeys.isEmpty() && keys.isEmpty();
    }

    /** The query taking every entry that one of {@code queries} takes. */
    static StateQuery anyOf(Collection<StateQuery> queries) {
        boolean everything = queries.stream().anyMatch(StateQuery::everything);
        boolean exceptMembers = everything && queries.stream().filter(StateQuery::everything)
                .allMatch(StateQuery::exceptMembers);
        Set<String> types = new LinkedHashSet<>();
        Set<String> anyTypeKeys = new LinkedHashSet<>();
        Set<StateKey> keys = new LinkedHashSet<>();
        for (StateQuery q : queries) {
            types.addAll(q.types());
            anyTypeKeys.addAll(q.anyTypeKeys());
            keys.addAll(q.keys());
        }
        return new StateQuery(everything, exceptMembers, types, anyTypeKeys, keys);
    }

    /** Whether the query takes the entry at ({@code type}, {@code stateKey}), as {@link #where()} does. */
    boolean matches(String type, String stateKey) {
        return everything && (!exceptMembers || !"m.room.member".equals(type)) || types.contains(type)
                || anyTypeKeys.contains(stateKey) || keys.contains(new StateKey(type, stateKey));
    }

    /** The WHERE clause (with its leading {@code WHERE}), or "" for every entry. */
    String where() {
        if (everything && !exceptMembers) {
            return "";
        }
        List<String> any = new ArrayList<>();
        if (everything) {
            any.add("e.type <> 'm.room.member'");
        }
        if (!types.isEmpty()) {
            any.add("e.type = ANY(:sqTypes::text[])");
        }
        if (!anyTypeKeys.isEmpty()) {
            any.add("e.state_key = ANY(:sqAnyKeys::text[])");
        }
        if (!keys.isEmpty()) {
            any.add("(e.type, e.state_key) IN (SELECT * FROM unnest(:sqKeyTypes::text[], :sqKeyKeys::text[]))");
        }
        return "WHERE " + String.join(" OR ", any);
    }

    /** Binds the parameters {@link #where()} names. */
    DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec spec) {
        if (everything && !exceptMembers) {
            return spec;
        }
        if (!types.isEmpty()) {
            spec = spec.bind("sqTypes", types.toArray(String[]::new));
        }
        if (!anyTypeKeys.isEmpty()) {
            spec = spec.bind("sqAnyKeys", anyTypeKeys.toArray(String[]::new));
        }
        if (!keys.isEmpty()) {
            spec = spec.bind("sqKeyTypes", keys.stream().map(StateKey::type).toArray(String[]::new))
                    .bind("sqKeyKeys", keys.stream().map(StateKey::stateKey).toArray(String[]::new));
        }
        return spec;
    }
}
