package org.myelin.clientapi.account;

import java.util.Map;

import org.myelin.clientapi.auth.UiaStage;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** The m.login.dummy stage: always succeeds; offered only where nothing else is required (open registration). */
@Component
public class DummyStage implements UiaStage {

    @Override
    public String type() {
        return "m.login.dummy";
    }

    @Override
    public Mono<Map<String, String>> attempt(JsonNode auth, String userId) {
        return Mono.just(Map.of());
    }
}
