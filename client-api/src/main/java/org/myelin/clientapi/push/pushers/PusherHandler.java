package org.myelin.clientapi.push.pushers;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Locale;

import org.myelin.clientapi.auth.Requester;
import org.myelin.db.push.PusherRepository;
import org.myelin.db.push.PusherRepository.Pusher;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.http.JsonBodies;
import org.myelin.http.JsonFields;
import org.myelin.http.Responses;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Pushers (https://spec.matrix.org/v1.19/client-server-api/#push-notifications): {@code GET /pushers} and
 * {@code POST /pushers/set}. A pusher belongs to the requester's device and goes when the device is deleted or
 * logged out. Only {@code http} pushers exist here: {@code data.url} must be an http(s) URL with the path
 * {@code /_matrix/push/v1/notify} (NOTSPEC: the spec asks for HTTPS; plain http is accepted, as Synapse does, and
 * the outbound guard decides which addresses may be reached).
 */
@Component
public class PusherHandler {

    /** The path every push gateway URL must have. */
    public static final String NOTIFY_PATH = "/_matrix/push/v1/notify";
    private static final int MAX_APP_ID = 64;
    private static final int MAX_PUSHKEY_BYTES = 512;

    private final JsonBodies bodies;
    private final PusherRepository pushers;
    private final ObjectMapper mapper;
    private final Clock clock;

    public PusherHandler(JsonBodies bodies, PusherRepository pushers, ObjectMapper mapper, Clock clock) {
        this.bodies = bodies;
        this.pushers = pushers;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** GET /_matrix/client/v3/pushers (https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3pushers). */
    public Mono<ServerResponse> getPushers(ServerRequest request, Requester requester) {
        return pushers.list(requester.userId()).flatMap(list -> {
            ObjectNode body = mapper.createObjectNode();
            ArrayNode array = body.putArray("pushers");
            list.forEach(p -> {
                ObjectNode json = array.addObject().put("pushkey", p.pushkey()).put("kind", p.kind())
                        .put("app_id", p.appId()).put("app_display_name", p.appDisplayName())
                        .put("device_display_name", p.deviceDisplayName()).put("lang", p.lang());
                if (p.profileTag() != null) {
                    json.put("profile_tag", p.profileTag());
                }
                json.set("data", mapper.readTree(p.dataJson()));
            });
            return Responses.ok(body);
        });
    }

    /**
     * POST /_matrix/client/v3/pushers/set
     * (https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3pushersset): a null {@code kind} deletes
     * the pusher; otherwise it is created or updated, and unless {@code append} other users' pushers with the same
     * app ID and pushkey are removed.
     */
    public Mono<ServerResponse> setPusher(ServerRequest request, Requester requester) {
        return bodies.object(request).flatMap(body -> {
            if (!body.has("kind")) {
                throw new MatrixException(ErrCode.M_MISSING_PARAM, "Missing parameter: kind");
            }
            String appId = JsonFields.requiredString(body, "app_id");
            String pushkey = JsonFields.requiredString(body, "pushkey");
            if (appId.length() > MAX_APP_ID) {
                throw MatrixException.invalidParam("app_id must be at most 64 characters");
            }
            if (pushkey.getBytes(StandardCharsets.UTF_8).length > MAX_PUSHKEY_BYTES) {
                throw MatrixException.invalidParam("pushkey must be at most 512 bytes");
            }
            String kind = JsonFields.optionalString(body, "kind");
            if (kind == null) {
                return pushers.delete(requester.userId(), appId, pushkey).then(Responses.ok(mapper.createObjectNode()));
            }
            return pushers.set(pusher(body, kind, appId, pushkey, requester),
                    JsonFields.optionalBoolean(body, "append", false)).then(Responses.ok(mapper.createObjectNode()));
        });
    }

    private Pusher pusher(JsonNode body, String kind, String appId, String pushkey, Requester requester) {
        List<String> missing = List.of("app_display_name", "device_display_name", "lang", "data").stream()
                .filter(f -> body.get(f) == null || body.get(f).isNull()).toList();
        if (!missing.isEmpty()) {
            throw new MatrixException(ErrCode.M_MISSING_PARAM, "Missing parameters: " + String.join(", ", missing));
        }
        String appName = JsonFields.requiredString(body, "app_display_name");
        String deviceName = JsonFields.requiredString(body, "device_display_name");
        String lang = JsonFields.requiredString(body, "lang");
        String profileTag = JsonFields.optionalString(body, "profile_tag");
        JsonNode data = JsonFields.optionalObject(body, "data");
        if (!"http".equals(kind)) {
            throw MatrixException.invalidParam("Unsupported pusher kind: only 'http' pushers are available");
        }
        checkHttpData(data);
        return new Pusher(0, requester.userId(), requester.deviceId(), kind, appId, pushkey, appName, deviceName,
                profileTag, lang, mapper.writeValueAsString(data), clock.millis());
    }

    /** data.url: an absolute http(s) URL with the notify path; data.format, if any, a string. */
    static void checkHttpData(JsonNode data) {
        JsonNode url = data.get("url");
        if (url == null || url.isNull()) {
            throw new MatrixException(ErrCode.M_MISSING_PARAM, "'url' is required in data for an http pusher");
        }
        String text = JsonFields.string(url, "data.url", 2048);
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw MatrixException.invalidParam("data.url is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
            throw MatrixException.invalidParam("data.url must be an absolute https URL");
        }
        if (!NOTIFY_PATH.equals(uri.getPath())) {
            throw MatrixException.invalidParam("data.url must have the path " + NOTIFY_PATH);
        }
        JsonNode format = data.get("format");
        if (format != null && !format.isNull()) {
            JsonFields.string(format, "data.format", 64);
        }
    }
}
