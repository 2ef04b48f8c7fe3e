package org.myelin.ephemeral.e2ee;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Other servers' users' keys for {@code /keys/query} and {@code /keys/claim}: the server-server API implements it;
 * without federation every server is answered in {@code failures}.
 */
public interface RemoteKeys {

    /** Federation off: every server named is a failure. */
    RemoteKeys NONE = new RemoteKeys() {
        @Override
        public Mono<ObjectNode> query(Map<String, List<String>> wanted, Duration timeout) {
            return Mono.just(unreachable(wanted.keySet()));
        }

        @Override
        public Mono<ObjectNode> claim(Map<String, Map<String, String>> wanted, Duration timeout) {
            return Mono.just(unreachable(wanted.keySet()));
        }

        private ObjectNode unreachable(Iterable<String> userIds) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            ObjectNode failures = out.putObject("failures");
            userIds.forEach(u -> failures.putObject(u.substring(u.indexOf(':') + 1)).put("status", 503)
                    .put("message", "Federation is off"));
            return out;
        }
    };

    /**
     * The keys of other servers' users ({@code wanted}: user ID → device IDs, empty for all), within
     * {@code timeout}: an object with {@code device_keys}, {@code master_keys}, {@code self_signing_keys} and
     * {@code failures} (by server name) as {@code POST /keys/query} answers them; any may be absent.
     */
    Mono<ObjectNode> query(Map<String, List<String>> wanted, Duration timeout);

    /**
     * Claims one-time keys of other servers' users ({@code wanted}: user ID → device ID → algorithm) within
     * {@code timeout}: an object with {@code one_time_keys} and {@code failures}, either may be absent.
     */
    Mono<ObjectNode> claim(Map<String, Map<String, String>> wanted, Duration timeout);
}
