package org.myelin.clientapi.room;

import java.util.ArrayList;
import java.util.List;

import org.myelin.clientapi.http.JsonFields;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.server.api.EventFilter;
import org.springframework.stereotype.Component;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The {@code filter} query parameter of /messages: an inline RoomEventFilter as JSON. Honours types, not_types,
 * senders, not_senders and lazy_load_members.
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
        return new EventFilter(strings(filter, "types"), strings(filter, "not_types"), strings(filter, "senders"),
                strings(filter, "not_senders"), JsonFields.optionalBoolean(filter, "lazy_load_members", false));
    }

    private static List<String> strings(JsonNode filter, String field) {
        JsonNode value = filter.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw MatrixException.badJson("filter." + field + " must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode entry : value) {
            if (!entry.isString()) {
                throw MatrixException.badJson("filter." + field + " must be an array of strings");
            }
            out.add(entry.asString());
        }
        return out;
    }
}
