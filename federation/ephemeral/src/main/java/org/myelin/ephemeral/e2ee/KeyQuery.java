package org.myelin.ephemeral.e2ee;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.myelin.db.e2ee.CrossSigningRepository;
import org.myelin.db.e2ee.CrossSigningRepository.Signature;
import org.myelin.db.e2ee.CrossSigningRepository.StoredKey;
import org.myelin.db.e2ee.DeviceKeyRepository;
import org.myelin.db.e2ee.DeviceKeyRepository.StoredDeviceKeys;
import org.myelin.db.e2ee.DeviceKeyRepository.Wanted;
import org.myelin.federation.protocol.e2ee.CrossSigningKey.Usage;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads local users' keys as {@code POST /keys/query} returns them: device keys (with {@code unsigned.
 * device_display_name}) and cross-signing keys, each with the signatures uploaded for it through
 * {@code /keys/signatures/upload} merged into its {@code signatures}.
 */
@Component
public class KeyQuery {

    /** The keys of the queried users: device keys by user and device, cross-signing keys by usage and user. */
    public record Result(Map<String, Map<String, ObjectNode>> deviceKeys,
            Map<Usage, Map<String, ObjectNode>> crossSigningKeys) {
    }

    private final DeviceKeyRepository deviceKeys;
    private final CrossSigningRepository crossSigning;
    private final ObjectMapper mapper;

    public KeyQuery(DeviceKeyRepository deviceKeys, CrossSigningRepository crossSigning, ObjectMapper mapper) {
        this.deviceKeys = deviceKeys;
        this.crossSigning = crossSigning;
        this.mapper = mapper;
    }

    /**
     * The keys of {@code wanted}: user ID → device IDs, an empty list meaning all devices. Every wanted user is in
     * the device keys map, with no devices when they have none with keys.
     */
    public Mono<Result> query(Map<String, List<String>> wanted) {
        List<Wanted> devices = new ArrayList<>();
        wanted.forEach((user, ids) -> {
            if (ids.isEmpty()) {
                devices.add(new Wanted(user, null));
            } else {
                ids.forEach(id -> devices.add(new Wanted(user, id)));
            }
        });
        return Mono.zip(deviceKeys.query(devices), crossSigning.keys(wanted.keySet()),
                crossSigning.signaturesOf(wanted.keySet())).map(t -> {
                    Map<String, List<Signature>> signatures = new HashMap<>();
                    t.getT3().forEach(s -> signatures.computeIfAbsent(s.targetUserId() + "\n" + s.targetKeyId(),
                            k -> new ArrayList<>()).add(s));
                    Map<String, Map<String, ObjectNode>> byUser = new LinkedHashMap<>();
                    wanted.keySet().forEach(u -> byUser.put(u, new LinkedHashMap<>()));
                    for (StoredDeviceKeys row : t.getT1()) {
                        ObjectNode keys = withSignatures(row.keyJson(), signatures.get(row.userId() + "\n"
                                + row.deviceId()));
                        if (row.displayName() != null) {
                            keys.withObjectProperty("unsigned").put("device_display_name", row.displayName());
                        }
                        byUser.get(row.userId()).put(row.deviceId(), keys);
                    }
                    Map<Usage, Map<String, ObjectNode>> crossSigningKeys = new LinkedHashMap<>();
                    for (StoredKey key : t.getT2()) {
                        ObjectNode json = (ObjectNode) mapper.readTree(key.keyJson());
                        String publicKey = json.path("keys").properties().iterator().next().getValue()
                                .stringValue();
                        crossSigningKeys.computeIfAbsent(usage(key.keyType()), k -> new LinkedHashMap<>())
                                .put(key.userId(), merge(json, signatures.get(key.userId() + "\n" + publicKey)));
                    }
                    return new Result(byUser, crossSigningKeys);
                });
    }

    private ObjectNode withSignatures(String json, List<Signature> signatures) {
        return merge((ObjectNode) mapper.readTree(json), signatures);
    }

    private static ObjectNode merge(ObjectNode json, List<Signature> signatures) {
        if (signatures != null) {
            for (Signature s : signatures) {
                json.withObjectProperty("signatures").withObjectProperty(s.signerUserId())
                        .put(s.signerKeyId(), s.signature());
            }
        }
        return json;
    }

    private static Usage usage(String keyType) {
        for (Usage u : Usage.values()) {
            if (u.value().equals(keyType)) {
                return u;
            }
        }
        throw new IllegalStateException("Unknown cross-signing key type " + keyType);
    }
}
