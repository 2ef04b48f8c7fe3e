package org.myelin.clientapi.ephemeral.accountdata;

import org.myelin.clientapi.ephemeral.StreamWriter;
import org.myelin.clientapi.sync.SyncRequest;
import org.myelin.clientapi.sync.SyncResponseBuilder;
import org.myelin.clientapi.sync.SyncStreamSource;
import org.myelin.db.ephemeral.AccountDataRepository;
import org.myelin.db.ephemeral.AccountDataRepository.Entry;
import org.myelin.db.notify.StreamPosition;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The "account_data" stream: the user's global and per-room account data written since the last sync (everything
 * on an initial sync). Room entries are reported only for rooms the user is joined to.
 */
@Component
public class AccountDataSource implements SyncStreamSource {

    private final StreamWriter writer;
    private final AccountDataRepository repository;
    private final ObjectMapper mapper;

    public AccountDataSource(StreamWriter writer, AccountDataRepository repository, ObjectMapper mapper) {
        this.writer = writer;
        this.repository = repository;
        this.mapper = mapper;
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
        return repository.changed(request.userId(), since, upTo).doOnNext(entries -> {
            for (Entry e : entries) {
                ObjectNode event = JsonNodeFactory.instance.objectNode().put("type", e.type());
                event.set("content", mapper.readTree(e.contentJson()));
                if (AccountDataRepository.GLOBAL.equals(e.roomId())) {
                    out.addAccountData(event);
                } else if (request.joinedRoomIds().contains(e.roomId())) {
                    out.addRoomAccountData(e.roomId(), event);
                }
            }
        }).then();
    }

    @Override
    public boolean concerns(StreamPosition position, SyncRequest request) {
        return AccountDataService.STREAM.equals(position.stream()) && request.userId().equals(position.scope());
    }
}
