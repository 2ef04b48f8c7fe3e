package org.myelin.federation.server.transaction;

import org.myelin.federation.protocol.id.ServerName;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** Applies received EDUs of one type that another package owns (device lists, to-device). */
public interface InboundEduHandler {

    /** The {@code edu_type} handled. */
    String eduType();

    /** Applies the EDU's {@code content} from {@code origin}; anything invalid is dropped. */
    Mono<Void> apply(ServerName origin, JsonNode content);
}
