package org.myelin.db.room;

/**
 * The one definition of how a state group is read, for every repository that resolves groups: a group stores the
 * entries that differ from its {@code prev_group} (an entry with a NULL event_id removes a key), a snapshot (no
 * prev_group) stores the whole state, and reading walks the chain back to the snapshot, where the closest group
 * that names a (type, state_key) wins.
 */
public final class StateGroupSql {

    /**
     * The step back along the chain, through the primary key. As a plain join, the plan PostgreSQL settles on for a
     * prepared statement (its generic plan, taken after five executions) hash-joins each step with a sequential
     * scan of every state group on the server; the LATERAL subquery it may not flatten ({@code OFFSET 0}) keeps it
     * one index probe per step.
     */
    private static final String PREVIOUS_GROUP =
            "CROSS JOIN LATERAL (SELECT g.id, g.prev_group FROM state_groups g WHERE g.id = c.prev_group OFFSET 0) g";

    private StateGroupSql() {
    }

    /**
     * A query for the state of the group bound to {@code :<groupParam>}, as rows (type, state_key, event_id).
     *
     * @param filter a WHERE clause on the entries {@code e}, or "" for the whole state
     */
    public static String stateOf(String groupParam, String filter) {
        return """
                WITH RECURSIVE chain (id, prev_group, hops) AS (
                    SELECT id, prev_group, 0 FROM state_groups WHERE id = :%1$s
                    UNION ALL
                    SELECT g.id, g.prev_group, c.hops + 1 FROM chain c %3$s)
                SELECT type, state_key, event_id FROM (
                    SELECT DISTINCT ON (e.type, e.state_key) e.type, e.state_key, e.event_id
                    FROM chain c %2$s
                    ORDER BY e.type, e.state_key, c.hops) latest
                WHERE event_id IS NOT NULL""".formatted(groupParam, entriesOfEachGroup(filter), PREVIOUS_GROUP);
    }

    /**
     * A query for the states of all groups in the array bound to {@code :<groupsParam>}, as rows (origin, type,
     * state_key, event_id) where origin is the group asked for.
     *
     * @param filter a WHERE clause on the entries {@code e}, or "" for the whole states
     */
    public static String statesOf(String groupsParam, String filter) {
        return """
                WITH RECURSIVE chain (origin, id, prev_group, hops) AS (
                    SELECT id, id, prev_group, 0 FROM state_groups WHERE id = ANY(:%1$s)
                    UNION ALL
                    SELECT c.origin, g.id, g.prev_group, c.hops + 1 FROM chain c %3$s)
                SELECT origin, type, state_key, event_id FROM (
                    SELECT DISTINCT ON (c.origin, e.type, e.state_key) c.origin, e.type, e.state_key, e.event_id
                    FROM chain c %2$s
                    ORDER BY c.origin, e.type, e.state_key, c.hops) latest
                WHERE event_id IS NOT NULL""".formatted(groupsParam, entriesOfEachGroup(filter), PREVIOUS_GROUP);
    }

    /**
     * The entries of each group of the chain, read through the primary key group by group. Written as a LATERAL
     * subquery the planner may not flatten ({@code OFFSET 0}): as a plain join it estimates the recursive chain at
     * a hundred groups and hash-joins it with a sequential scan of the whole table, whose cost grows with every
     * room on the server instead of with the chain.
     */
    private static String entriesOfEachGroup(String filter) {
        String condition = "";
        if (!filter.isBlank()) {
            String clause = filter.strip();
            if (!clause.startsWith("WHERE ")) {
                throw new IllegalArgumentException("A state filter is a WHERE clause: " + filter);
            }
            condition = " AND (" + clause.substring("WHERE ".length()) + ")";
        }
        return "CROSS JOIN LATERAL (SELECT e.type, e.state_key, e.event_id FROM state_group_entries e"
                + " WHERE e.state_group = c.id" + condition + " OFFSET 0) e";
    }
}
