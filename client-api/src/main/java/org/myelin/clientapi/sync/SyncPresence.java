package org.myelin.clientapi.sync;

import reactor.core.publisher.Mono;

/** What /sync's {@code set_presence} parameter does; implemented by the presence feature. */
public interface SyncPresence {

    /**
     * Applies {@code set_presence} for a syncing user ({@code null}: the default, online). A bad value errors with
     * 400 M_INVALID_PARAM.
     */
    Mono<Void> setFromSync(String userId, String state);
}
