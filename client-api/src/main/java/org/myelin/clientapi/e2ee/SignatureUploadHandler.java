package org.myelin.clientapi.e2ee;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.myelin.clientapi.auth.Requester;
import org.myelin.db.e2ee.CrossSigningRepository;
import org.myelin.db.e2ee.CrossSigningRepository.Signature;
import org.myelin.db.e2ee.DeviceListRepository.Change;
import org.myelin.ephemeral.LocalServer;
import org.myelin.ephemeral.e2ee.DeviceLists;
import org.myelin.ephemeral.e2ee.KeyQuery;
import org.myelin.federation.protocol.crypto.SignatureCheck;
import org.myelin.federation.protocol.e2ee.CrossSigningKey.Usage;
import org.myelin.federation.protocol.e2ee.KeySignatures;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.http.JsonBodies;
import org.myelin.http.Responses;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * POST /_matrix/client/v3/keys/signatures/upload
 * (https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3keyssignaturesupload). The uploader's
 * signatures of: their own devices (by their self-signing key), their own master key (by one of their devices) and
 * other users' master keys (by their user-signing key). Each signature is checked against the signing key it claims
 * and over the key as stored, so a signature of anything else fails; failures are reported per key with
 * {@code M_INVALID_SIGNATURE} (or {@code M_NOT_FOUND} for an unknown key) and nothing is stored for them.
 */
@Component
public class SignatureUploadHandler {

    private final JsonBodies bodies;
    private final KeyQuery keys;
    private final CrossSigningRepository crossSigning;
    private final DeviceLists deviceLists;
    private final LocalServer localServer;
    private final ObjectMapper mapper;
    private final Scheduler cpu;

    public SignatureUploadHandler(JsonBodies bodies, KeyQuery keys, CrossSigningRepository crossSigning,
            DeviceLists deviceLists, LocalServer localServer, ObjectMapper mapper, Scheduler cpuScheduler) {
        this.bodies = bodies;
        this.keys = keys;
        this.crossSigning = crossSigning;
        this.deviceLists = deviceLists;
        this.localServer = localServer;
        this.mapper = mapper;
        this.cpu = cpuScheduler;
    }

    /** A signature to check: {@code uploaded} claims to sign {@code targetUser}'s key {@code targetKeyId}. */
    private record Item(String targetUser, String targetKeyId, JsonNode uploaded) {
    }

    public Mono<ServerResponse> upload(ServerRequest request, Requester requester) {
        String me = requester.userId();
        return bodies.object(request).flatMap(body -> {
            List<Item> items = items(body);
            Set<String> users = new LinkedHashSet<>();
            users.add(me);
            items.forEach(i -> {
                if (localServer.isLocal(i.targetUser())) {
                    users.add(i.targetUser());
                }
            });
            Map<String, List<String>> wanted = new LinkedHashMap<>();
            users.forEach(u -> wanted.put(u, List.of()));
            return keys.query(wanted).flatMap(stored -> Mono.fromCallable(() -> check(me, items, stored))
                    .subscribeOn(cpu)).flatMap(outcome -> store(me, outcome.valid())
                            .then(Responses.ok(Map.of("failures", outcome.failures()))));
        });
    }

    private record Outcome(List<Signature> valid, ObjectNode failures) {
    }

    private static List<Item> items(JsonNode body) {
        List<Item> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> user : body.properties()) {
            String userId = UserId.parse(user.getKey()).toString();
            if (!user.getValue().isObject()) {
                throw MatrixException.badJson(userId + " must map key IDs to signed keys");
            }
            for (Map.Entry<String, JsonNode> key : user.getValue().properties()) {
                if (!key.getValue().isObject()) {
                    throw MatrixException.badJson("Signed keys must be objects");
                }
                out.add(new Item(userId, key.getKey(), key.getValue()));
            }
            if (out.size() > KeyQueryHandler.MAX_ENTRIES) {
                throw MatrixException.invalidParam("Upload at most " + KeyQueryHandler.MAX_ENTRIES + " at once");
            }
        }
        return out;
    }

    private Outcome check(String me, List<Item> items, KeyQuery.Result stored) {
        List<Signature> valid = new ArrayList<>();
        ObjectNode failures = mapper.createObjectNode();
        for (Item item : items) {
            try {
                valid.addAll(checkOne(me, item, stored));
            } catch (MatrixException e) {
                failures.withObjectProperty(item.targetUser()).putObject(item.targetKeyId())
                        .put("errcode", e.errCode().name()).put("error", e.getMessage());
            }
        }
        return new Outcome(valid, failures);
    }

    /** The valid signatures {@code item} carries; throws the failure to report for it. */
    private static List<Signature> checkOne(String me, Item item, KeyQuery.Result stored) {
        ObjectNode myMaster = key(stored, Usage.MASTER, me);
        ObjectNode target;
        Map<String, String> signers = new LinkedHashMap<>();
        if (item.targetUser().equals(me)) {
            ObjectNode device = stored.deviceKeys().getOrDefault(me, Map.of()).get(item.targetKeyId());
            if (myMaster != null && item.targetKeyId().equals(publicKey(myMaster))) {
                target = myMaster;
                stored.deviceKeys().getOrDefault(me, Map.of()).forEach((id, keys) -> signers.put("ed25519:" + id,
                        keys.path("keys").path("ed25519:" + id).asString(null)));
            } else if (device != null) {
                target = device;
                addSigner(signers, key(stored, Usage.SELF_SIGNING, me));
            } else {
                throw new MatrixException(ErrCode.M_NOT_FOUND, "No such device or master key");
            }
        } else {
            ObjectNode theirMaster = key(stored, Usage.MASTER, item.targetUser());
            if (theirMaster == null || !item.targetKeyId().equals(publicKey(theirMaster))) {
                throw new MatrixException(ErrCode.M_NOT_FOUND, "Only another user's master key can be signed");
            }
            target = theirMaster;
            addSigner(signers, key(stored, Usage.USER_SIGNING, me));
        }
        List<Signature> out = new ArrayList<>();
        JsonNode mine = item.uploaded().path("signatures").path(me);
        for (Map.Entry<String, JsonNode> signature : mine.properties()) {
            String publicKey = signers.get(signature.getKey());
            if (publicKey == null || !signature.getValue().isString()) {
                continue;
            }
            ObjectNode signed = target.deepCopy();
            signed.withObjectProperty("signatures").withObjectProperty(me).put(signature.getKey(),
                    signature.getValue().stringValue());
            if (KeySignatures.verify(signed, me, signature.getKey(), publicKey) != SignatureCheck.VALID) {
                throw invalid();
            }
            out.add(new Signature(me, signature.getKey(), item.targetUser(), item.targetKeyId(),
                    signature.getValue().stringValue()));
        }
        if (out.isEmpty()) {
            throw invalid();
        }
        return out;
    }

    private Mono<Void> store(String me, List<Signature> valid) {
        if (valid.isEmpty()) {
            return Mono.empty();
        }
        Set<Change> recorded = new LinkedHashSet<>();
        for (Signature s : valid) {
            recorded.add(s.targetUserId().equals(me) ? new Change(me, null, null)
                    : new Change(s.targetUserId(), null, me));
        }
        return deviceLists.record(List.copyOf(recorded), position -> crossSigning.putSignatures(valid)).then();
    }

    private static void addSigner(Map<String, String> signers, ObjectNode key) {
        if (key != null) {
            signers.put("ed25519:" + publicKey(key), publicKey(key));
        }
    }

    private static ObjectNode key(KeyQuery.Result stored, Usage usage, String userId) {
        return stored.crossSigningKeys().getOrDefault(usage, Map.of()).get(userId);
    }

    private static String publicKey(ObjectNode crossSigningKey) {
        return crossSigningKey.path("keys").properties().iterator().next().getValue().stringValue();
    }

    private static MatrixException invalid() {
        return new MatrixException(ErrCode.M_INVALID_SIGNATURE, 400, "Invalid signature");
    }
}
