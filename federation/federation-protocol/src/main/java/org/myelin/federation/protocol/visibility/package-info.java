/**
 * Room history visibility: whether a user may see an event, from the room state at that event
 * (https://spec.matrix.org/v1.19/client-server-api/#room-history-visibility, "Server behaviour").
 *
 * <p>Owns: {@link org.myelin.federation.protocol.visibility.HistoryVisibility} (the values of
 * {@code m.room.history_visibility}, unknown ones read as {@code shared}),
 * {@link org.myelin.federation.protocol.visibility.VisibilityState} (what the rules read from a room state) and
 * {@link org.myelin.federation.protocol.visibility.EventVisibility} (the rules, and filtering a list of events).
 *
 * <p>Invariants: pure functions with no I/O; callers supply the state before each event and the user's current
 * membership. Depends only on the {@code auth} package's event and membership views.
 */
package org.myelin.federation.protocol.visibility;
