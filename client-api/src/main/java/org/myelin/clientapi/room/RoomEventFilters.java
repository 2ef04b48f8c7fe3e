package org.myelin.clientapi.room;

import java.util.List;

import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.filter.FilterParser;
import org.myelin.federation.protocol.filter.RoomEventFilter;
import org.myelin.room.api.EventFilter;
import org.springframework.stereotype.Component;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The {@code filter} query parameter of /messages and /context: an inline RoomEventFilter as JSON, validated by
 * the core's {@link FilterParser} (the same rules as /sync filters). Honours types, not_types, senders,
 * not_senders and lazy_load_members.
 */
@Component
public class RoomEventFilters {

    private final ObjectMapper mapper;

    public RoomEventFilters(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The filter; {@link EventFilter#NONE} for null. Not JSON is M_NOT_JSON, a non-object M_BAD_JSON. */
    public EventFilter parse(String json) {
        if (json == null || json.isBlank()) {
            return EventFilter.NONE;
        }
        JsonNode filter;
        try {
            filter = mapper.readTree(json);
        } catch (JacksonException e) {
            throw new MatrixException(ErrCode.M_NOT_JSON, "filter is not JSON");
        }
        if (filter == null || !filter.isObject()) {
            throw MatrixException.badJson("filter must be a JSON object");
        }
        RoomEventFilter parsed = FilterParser.parseRoomEventFilter(filter);
        var events = parsed.events();
        return new EventFilter(orEmpty(events.types()), orEmpty(events.notTypes()), orEmpty(events.senders()),
                orEmpty(events.notSenders()), parsed.lazyLoadMembers());
    }

    private static List<String> orEmpty(List<String> list) {
        return list == null ? List.of() : list;
    }
}
