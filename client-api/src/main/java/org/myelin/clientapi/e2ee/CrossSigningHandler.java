package org.myelin.clientapi.e2ee;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.myelin.clientapi.account.AccountHandler;
import org.myelin.clientapi.auth.Requester;
import org.myelin.db.e2ee.CrossSigningRepository;
import org.myelin.db.e2ee.CrossSigningRepository.StoredKey;
import org.myelin.db.e2ee.DeviceListRepository.Change;
import org.myelin.ephemeral.e2ee.DeviceLists;
import org.myelin.federation.protocol.e2ee.CrossSigningKey;
import org.myelin.federation.protocol.e2ee.CrossSigningKey.Usage;
import org.myelin.federation.protocol.e2ee.DeviceKeys;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.json.CanonicalJson;
import org.myelin.federation.protocol.json.CanonicalJson.Mode;
import org.myelin.http.JsonBodies;
import org.myelin.http.Responses;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.JsonNode;

/**
 * POST /_matrix/client/v3/keys/device_signing/upload
 * (https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3keysdevice_signingupload): the user's
 * master, self-signing and user-signing keys. The self-signing and user-signing keys must be signed by the master
 * key (the uploaded one, else the stored one). User-Interactive Authentication guards replacing keys; the first
 * upload, when the user has no master key yet, and an upload of exactly the stored keys need none (as Synapse
 * does: the spec allows the first, and the second changes nothing).
 */
@Component
public class CrossSigningHandler {

    private static final String[] FIELDS = {"master_key", "self_signing_key", "user_signing_key"};
    private static final Usage[] USAGES = {Usage.MASTER, Usage.SELF_SIGNING, Usage.USER_SIGNING};

    private final JsonBodies bodies;
    private final CrossSigningRepository crossSigning;
    private final DeviceLists deviceLists;
    private final AccountHandler accounts;
    private final Scheduler cpu;

    public CrossSigningHandler(JsonBodies bodies, CrossSigningRepository crossSigning, DeviceLists deviceLists,
            AccountHandler accounts, Scheduler cpuScheduler) {
        this.bodies = bodies;
        this.crossSigning = crossSigning;
        this.deviceLists = deviceLists;
        this.accounts = accounts;
        this.cpu = cpuScheduler;
    }

    public Mono<ServerResponse> upload(ServerRequest request, Requester requester) {
        String userId = requester.userId();
        return bodies.object(request).flatMap(body -> {
            Map<Usage, CrossSigningKey> uploaded = parse(body, userId);
            return stored(userId).flatMap(current -> Mono.fromRunnable(() -> checkSignatures(uploaded, current,
                            userId)).subscribeOn(cpu)
                    .then(authorise(request, body, requester, uploaded, current))
                    .then(store(userId, uploaded, current)));
        }).then(Responses.ok(Map.of()));
    }

    private static Map<Usage, CrossSigningKey> parse(JsonNode body, String userId) {
        Map<Usage, CrossSigningKey> out = new EnumMap<>(Usage.class);
        for (int i = 0; i < FIELDS.length; i++) {
            JsonNode value = body.get(FIELDS[i]);
            if (value != null && !value.isNull()) {
                out.put(USAGES[i], CrossSigningKey.parse(value, userId, USAGES[i]));
            }
        }
        return out;
    }

    private static void checkSignatures(Map<Usage, CrossSigningKey> uploaded, Map<Usage, String> current,
            String userId) {
        if (!uploaded.containsKey(Usage.SELF_SIGNING) && !uploaded.containsKey(Usage.USER_SIGNING)) {
            return;
        }
        CrossSigningKey master = uploaded.get(Usage.MASTER);
        if (master == null && current.containsKey(Usage.MASTER)) {
            master = CrossSigningKey.parse(CanonicalJson.parse(current.get(Usage.MASTER), Mode.STRICT), userId,
                    Usage.MASTER);
        }
        if (master == null) {
            throw MatrixException.missingParam("No master key available to check the other keys against");
        }
        for (Usage usage : List.of(Usage.SELF_SIGNING, Usage.USER_SIGNING)) {
            CrossSigningKey key = uploaded.get(usage);
            if (key != null && !key.isSignedBy(userId, master)) {
                throw DeviceKeys.invalidSignature("The " + usage.value() + " key must be signed by the master key");
            }
        }
    }

    private Mono<Void> authorise(ServerRequest request, JsonNode body, Requester requester,
            Map<Usage, CrossSigningKey> uploaded, Map<Usage, String> current) {
        boolean first = !current.containsKey(Usage.MASTER);
        boolean unchanged = uploaded.entrySet().stream().allMatch(e -> canonical(e.getValue())
                .equals(current.get(e.getKey())));
        return first || unchanged ? Mono.empty()
                : accounts.reauthenticate(request, body, "device_signing_upload", requester).then();
    }

    private Mono<Void> store(String userId, Map<Usage, CrossSigningKey> uploaded, Map<Usage, String> current) {
        Map<Usage, String> changed = new EnumMap<>(Usage.class);
        uploaded.forEach((usage, key) -> {
            String json = canonical(key);
            if (!json.equals(current.get(usage))) {
                changed.put(usage, json);
            }
        });
        if (changed.isEmpty()) {
            return Mono.empty();
        }
        List<Change> recorded = new ArrayList<>();
        if (changed.containsKey(Usage.MASTER) || changed.containsKey(Usage.SELF_SIGNING)) {
            recorded.add(new Change(userId, null, null));
        }
        if (changed.containsKey(Usage.USER_SIGNING)) {
            recorded.add(new Change(userId, null, userId));
        }
        return deviceLists.record(recorded, position -> Flux.fromIterable(changed.entrySet())
                .concatMap(e -> crossSigning.put(userId, e.getKey().value(), e.getValue(), position)).then())
                .then();
    }

    /** The user's stored keys (canonical JSON, as stored) by usage. */
    private Mono<Map<Usage, String>> stored(String userId) {
        return crossSigning.keys(List.of(userId)).map(rows -> {
            Map<Usage, String> out = new EnumMap<>(Usage.class);
            for (StoredKey row : rows) {
                for (Usage usage : USAGES) {
                    if (usage.value().equals(row.keyType())) {
                        out.put(usage, row.keyJson());
                    }
                }
            }
            return out;
        });
    }

    private static String canonical(CrossSigningKey key) {
        return CanonicalJson.encodeToString(key.json(), Mode.STRICT);
    }
}
