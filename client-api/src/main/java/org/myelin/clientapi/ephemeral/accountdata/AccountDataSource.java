package org.myelin.clientapi.ephemeral.accountdata;

import java.util.List;

import org.myelin.clientapi.sync.SyncRequest;
import org.myelin.clientapi.sync.SyncResponseBuilder;
import org.myelin.clientapi.sync.SyncStreamSource;
import org.myelin.db.ephemeral.AccountDataRepository;
import org.myelin.db.ephemeral.AccountDataRepository.Entry;
import org.myelin.db.notify.StreamPosition;
import org.myelin.ephemeral.StreamWriter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The "account_data" stream: the user's global and per-room account data written since the last sync (everything
 * on an initial sync). Room entries are reported only for rooms the user is joined to. {@link ComputedAccountData}
 * (push rules) is reported with its current content on an initial sync and after each change.
 */
@Component
public class AccountDataSource implements SyncStreamSource {

    private final StreamWriter writer;
    private final AccountDataRepository repository;
    private final ObjectMapper mapper;
    private final List<ComputedAccountData> computed;

    public AccountDataSource(StreamWriter writer, AccountDataRepository repository, ObjectMapper mapper,
            ObjectProvider<ComputedAccountData> computed) {
        this.writer = writer;
        this.repository = repository;
        this.mapper = mapper;
        this.computed = computed.orderedStream().toList();
    }

    @Override
    public String name() {
        return AccountDataService.STREAM;
    }

    @Override
    public Mono<Long> currentPosition() {
        return writer.current(AccountDataService.STREAM);
    }

    @Override
    public Mono<Void> contribute(SyncRequest request, long since, long upTo, SyncResponseBuilder out) {
        return repository.changed(request.userId(), since, upTo).flatMap(entries -> {
            for (Entry e : entries) {
                ObjectNode event = JsonNodeFactory.instance.objectNode().put("type", e.type());
                event.set("content", mapper.readTree(e.contentJson()));
                if (AccountDataRepository.GLOBAL.equals(e.roomId())) {
                    if (computed.stream().noneMatch(c -> c.type().equals(e.type()))) {
                        out.addAccountData(event);
                    }
                } else if (request.joinedRoomIds().contains(e.roomId())) {
                    out.addRoomAccountData(e.roomId(), event);
                }
            }
            return Flux.fromIterable(computed).filter(c -> since == 0 || entries.stream().anyMatch(e ->
                            AccountDataRepository.GLOBAL.equals(e.roomId()) && c.type().equals(e.type())))
                    .concatMap(c -> c.content(request.userId()).map(content -> {
                        ObjectNode event = JsonNodeFactory.instance.objectNode().put("type", c.type());
                        event.set("content", content);
                        return event;
                    }))
                    .doOnNext(out::addAccountData).then();
        });
    }

    @Override
    public boolean concerns(StreamPosition position, SyncRequest request) {
        return AccountDataService.STREAM.equals(position.stream()) && request.userId().equals(position.scope());
    }
}
