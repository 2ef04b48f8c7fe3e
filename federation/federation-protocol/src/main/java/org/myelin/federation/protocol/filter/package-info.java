/**
 * Event filters (https://spec.matrix.org/v1.19/client-server-api/#filtering and the {@code Filter},
 * {@code RoomFilter}, {@code RoomEventFilter} and {@code EventFilter} schemas of
 * {@code POST /user/{userId}/filter}).
 *
 * <p>Owns: the typed model ({@link org.myelin.federation.protocol.filter.Filter},
 * {@link org.myelin.federation.protocol.filter.RoomFilter},
 * {@link org.myelin.federation.protocol.filter.RoomEventFilter},
 * {@link org.myelin.federation.protocol.filter.EventFilter}), its parser
 * ({@link org.myelin.federation.protocol.filter.FilterParser}, the only place that rejects a malformed filter) and
 * the {@code event_fields} projection ({@link org.myelin.federation.protocol.filter.EventFields}).
 *
 * <p>Invariants: pure functions with no I/O. An absent list (null) means "no restriction"; an empty list means
 * "nothing passes". Every {@code not_*} list wins over its allow list. Unknown filter keys are ignored, so newer
 * clients keep working.
 */
package org.myelin.federation.protocol.filter;
