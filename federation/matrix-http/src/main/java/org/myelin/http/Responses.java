package org.myelin.http;

import java.util.Map;

import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;

/** 200 responses with a JSON body. */
public final class Responses {

    private Responses() {
    }

    public static Mono<ServerResponse> ok(Object body) {
        return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(body);
    }

    /** 200 with {@code {}}, the spec's answer for most writes. */
    public static Mono<ServerResponse> empty() {
        return ok(Map.of());
    }
}
