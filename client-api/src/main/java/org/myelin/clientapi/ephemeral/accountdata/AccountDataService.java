package org.myelin.clientapi.ephemeral.accountdata;

import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.myelin.db.ephemeral.AccountDataRepository;
import org.myelin.ephemeral.StreamWriter;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Writes account data on the "account_data" stream (also for read markers and tags) and reads it back. */
@Component
public class AccountDataService {

    /** The stream's name in sync tokens and wake-ups. */
    public static final String STREAM = "account_data";

    private final StreamWriter writer;
    private final AccountDataRepository repository;
    private final ObjectMapper mapper;

    public AccountDataService(StreamWriter writer, AccountDataRepository repository, ObjectMapper mapper) {
        this.writer = writer;
        this.repository = repository;
        this.mapper = mapper;
    }

    /** Stores {@code content} (room {@link AccountDataRepository#GLOBAL} for global data) and publishes it. */
    public Mono<Void> put(String userId, String roomId, String type, JsonNode content) {
        String json = mapper.writeValueAsString(content);
        return writer.write(STREAM, 1, position -> repository.put(userId, roomId, type, json, position)
                .thenReturn(List.of(userId))).then();
    }

    /** The stored content, or empty. */
    public Mono<JsonNode> find(String userId, String roomId, String type) {
        return repository.find(userId, roomId, type).map(mapper::readTree);
    }

    /**
     * Reads, changes and writes one entry in a single transaction. The stream's counter row, taken first, orders
     * concurrent changes of the same entry, so none is lost.
     */
    public Mono<Void> update(String userId, String roomId, String type, UnaryOperator<JsonNode> change) {
        return writer.write(STREAM, 1, position -> repository.find(userId, roomId, type).map(mapper::readTree)
                .map(Optional::of).defaultIfEmpty(Optional.empty())
                .map(old -> mapper.writeValueAsString(change.apply(old.orElse(null))))
                .flatMap(json -> repository.put(userId, roomId, type, json, position))
                .thenReturn(List.of(userId))).then();
    }
}
