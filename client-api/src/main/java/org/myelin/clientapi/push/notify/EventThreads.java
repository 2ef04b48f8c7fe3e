package org.myelin.clientapi.push.notify;

import org.myelin.db.push.PushEvaluationRepository;
import org.myelin.db.push.PushEvaluationRepository.PendingEvent;

import reactor.core.publisher.Mono;

/**
 * The thread a notification counts in (https://spec.matrix.org/v1.19/client-server-api/#threading): a thread
 * event's root; for any other relation (a reaction, an edit) the thread of the event it relates to, as Synapse
 * counts; {@code main} otherwise, thread roots included.
 */
final class EventThreads {

    /** The main timeline's thread ID, as in threaded read receipts. */
    static final String MAIN = "main";
    private static final String THREAD = "m.thread";

    private final PushEvaluationRepository repository;

    EventThreads(PushEvaluationRepository repository) {
        this.repository = repository;
    }

    Mono<String> threadOf(PendingEvent event) {
        if (event.relatesToId() == null) {
            return Mono.just(MAIN);
        }
        if (THREAD.equals(event.relationType())) {
            return Mono.just(event.relatesToId());
        }
        return repository.threadOf(event.relatesToId()).defaultIfEmpty(MAIN);
    }
}
