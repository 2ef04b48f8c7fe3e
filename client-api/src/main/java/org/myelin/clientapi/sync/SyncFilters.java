package org.myelin.clientapi.sync;

import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.filter.Filter;
import org.myelin.federation.protocol.filter.FilterParser;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The {@code filter} query parameter of /sync: absent means {@link Filter#DEFAULT}; a value starting with
 * {@code {} is an inline filter (filter IDs never start with it, the spec guarantees); anything else is the ID of
 * one of the requester's stored filters.
 */
@Component
public class SyncFilters {

    private final StoredFilters stored;
    private final ObjectMapper mapper;

    public SyncFilters(StoredFilters stored, ObjectMapper mapper) {
        this.stored = stored;
        this.mapper = mapper;
    }

    /**
     * The typed filter. Inline JSON that does not parse, and an ID the user has no filter for, are 400
     * M_INVALID_PARAM, as Synapse answers; an inline filter breaking the schema is M_BAD_JSON / M_INVALID_PARAM.
     */
    public Mono<Filter> resolve(String userId, String filterParam) {
        if (filterParam == null || filterParam.isEmpty()) {
            return Mono.just(Filter.DEFAULT);
        }
        if (filterParam.startsWith("{")) {
            return Mono.fromCallable(() -> FilterParser.parse(readInline(filterParam)));
        }
        return stored.find(userId, filterParam)
                .map(FilterParser::parse)
                .switchIfEmpty(Mono.error(() -> MatrixException.invalidParam("No such filter")));
    }

    private JsonNode readInline(String json) {
        try {
            return mapper.readTree(json);
        } catch (JacksonException e) {
            throw new MatrixException(ErrCode.M_INVALID_PARAM, "filter is not valid JSON");
        }
    }
}
