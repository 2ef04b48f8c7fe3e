package org.myelin.clientapi.sync;

import org.myelin.db.sync.FilterRepository;
import org.myelin.federation.protocol.filter.FilterParser;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Filters a user uploaded: validated before they are stored, looked up only by their owner. */
@Component
public class StoredFilters {

    private final FilterRepository filters;
    private final ObjectMapper mapper;

    public StoredFilters(FilterRepository filters, ObjectMapper mapper) {
        this.filters = filters;
        this.mapper = mapper;
    }

    /** Checks {@code filter} against the spec (400 M_BAD_JSON / M_INVALID_PARAM), stores it and emits its ID. */
    public Mono<String> define(String userId, JsonNode filter) {
        return Mono.fromCallable(() -> FilterParser.parse(filter))
                .then(filters.insert(userId, mapper.writeValueAsString(filter)))
                .map(String::valueOf);
    }

    /** The user's filter with ID {@code filterId} as uploaded, or empty when the user has none by that ID. */
    public Mono<JsonNode> find(String userId, String filterId) {
        return parseId(filterId).flatMap(id -> filters.find(userId, id)).map(mapper::readTree);
    }

    /** IDs are decimal; anything else can name no stored filter. */
    private static Mono<Long> parseId(String filterId) {
        if (filterId.isEmpty() || filterId.length() > 18 || !filterId.chars().allMatch(Character::isDigit)) {
            return Mono.empty();
        }
        return Mono.just(Long.parseLong(filterId));
    }
}
