package org.myelin.clientapi.account;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import org.myelin.clientapi.auth.Requester;
import org.myelin.db.account.ProfileRepository;
import org.myelin.db.account.ProfileRepository.ProfileRow;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.http.JsonBodies;
import org.myelin.http.JsonFields;
import org.myelin.http.Responses;
import org.myelin.http.TextLimits;
import org.myelin.room.api.RemoteProfiles;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Profiles: GET /profile/{userId}, and GET/PUT/DELETE /profile/{userId}/{keyName} for displayname, avatar_url
 * and custom fields (spec v1.16+). Only the user may change their own profile; the whole profile stays under
 * 64 KiB.
 */
@Component
public class ProfileHandler {

    private static final Pattern KEY = Pattern.compile("avatar_url|displayname|m\\.tz|[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+");
    private static final int MAX_KEY_BYTES = 255;
    private static final int MAX_PROFILE_BYTES = 64 * 1024;

    private final JsonBodies bodies;
    private final ProfileRepository profiles;
    private final ObjectMapper mapper;
    private final ServerName serverName;
    private final RemoteProfiles remoteProfiles;

    public ProfileHandler(JsonBodies bodies, ProfileRepository profiles, ObjectMapper mapper, ServerName serverName,
            RemoteProfiles remoteProfiles) {
        this.bodies = bodies;
        this.profiles = profiles;
        this.mapper = mapper;
        this.serverName = serverName;
        this.remoteProfiles = remoteProfiles;
    }

    /** GET /_matrix/client/v3/profile/{userId} */
    public Mono<ServerResponse> getProfile(ServerRequest request) {
        return load(request.pathVariable("userId")).flatMap(Responses::ok);
    }

    /** GET /_matrix/client/v3/profile/{userId}/{keyName} */
    public Mono<ServerResponse> getField(ServerRequest request) {
        String key = request.pathVariable("keyName");
        return load(request.pathVariable("userId")).flatMap(profile -> profile.containsKey(key)
                ? Responses.ok(Map.of(key, profile.get(key)))
                : Mono.error(MatrixException.notFound("Profile field not set")));
    }

    /** PUT /_matrix/client/v3/profile/{userId}/{keyName} */
    public Mono<ServerResponse> setField(ServerRequest request, Requester requester) {
        String userId = request.pathVariable("userId");
        String key = checkedKey(request.pathVariable("keyName"));
        requireSelf(userId, requester);
        if (requester.guest() && !key.equals("displayname")) {
            // The spec lets guests set their display name only.
            return Mono.error(new MatrixException(ErrCode.M_GUEST_ACCESS_FORBIDDEN,
                    "Guests may only set their display name"));
        }
        return bodies.object(request).flatMap(body -> {
            JsonNode value = body.get(key);
            if (value == null) {
                return Mono.error(MatrixException.missingParam("Missing parameter: " + key));
            }
            return load(userId).flatMap(current -> {
                Map<String, Object> next = new LinkedHashMap<>(current);
                next.put(key, value);
                if (mapper.writeValueAsBytes(next).length > MAX_PROFILE_BYTES) {
                    return Mono.error(new MatrixException(ErrCode.M_PROFILE_TOO_LARGE, "Profile would exceed 64 KiB"));
                }
                return store(userId, key, value);
            }).then(Responses.empty());
        });
    }

    /** DELETE /_matrix/client/v3/profile/{userId}/{keyName} */
    public Mono<ServerResponse> deleteField(ServerRequest request, Requester requester) {
        String userId = request.pathVariable("userId");
        String key = checkedKey(request.pathVariable("keyName"));
        requireSelf(userId, requester);
        Mono<Long> delete = switch (key) {
            case "displayname" -> profiles.setDisplayname(userId, null);
            case "avatar_url" -> profiles.setAvatarUrl(userId, null);
            default -> profiles.deleteField(userId, key);
        };
        return delete.then(Responses.empty());
    }

    private Mono<Long> store(String userId, String key, JsonNode value) {
        return switch (key) {
            case "displayname" -> profiles.setDisplayname(userId, nullableString(value, key, TextLimits.DISPLAY_NAME));
            case "avatar_url" -> profiles.setAvatarUrl(userId, avatarUrl(value));
            default -> profiles.setField(userId, key, mapper.writeValueAsString(value));
        };
    }

    private static String avatarUrl(JsonNode value) {
        String url = nullableString(value, "avatar_url", TextLimits.AVATAR_URL);
        if (url != null && !url.isEmpty() && !url.startsWith("mxc://")) {
            throw MatrixException.invalidParam("avatar_url must be an mxc:// URI");
        }
        return url;
    }

    private static String nullableString(JsonNode value, String key, int maxChars) {
        return value.isNull() ? null : JsonFields.string(value, key, maxChars);
    }

    /** A local user's profile from the database; another server's user's from their server. */
    private Mono<Map<String, Object>> load(String userId) {
        UserId parsed;
        try {
            parsed = UserId.parse(userId);
        } catch (MatrixException e) {
            return Mono.error(MatrixException.notFound("Profile not found"));
        }
        if (!parsed.server().equals(serverName)) {
            return remoteProfiles.profile(parsed);
        }
        return profiles.find(userId)
                .switchIfEmpty(Mono.error(() -> MatrixException.notFound("Profile not found")))
                .map(this::toMap);
    }

    private Map<String, Object> toMap(ProfileRow row) {
        Map<String, Object> out = new LinkedHashMap<>();
        JsonNode fields = mapper.readTree(row.fieldsJson() == null ? "{}" : row.fieldsJson());
        fields.properties().forEach(e -> out.put(e.getKey(), e.getValue()));
        if (row.displayname() != null) {
            out.put("displayname", row.displayname());
        }
        if (row.avatarUrl() != null) {
            out.put("avatar_url", row.avatarUrl());
        }
        return out;
    }

    private static String checkedKey(String key) {
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new MatrixException(ErrCode.M_KEY_TOO_LARGE, "Profile key is longer than 255 bytes");
        }
        if (!KEY.matcher(key).matches()) {
            throw MatrixException.invalidParam("Invalid profile key");
        }
        return key;
    }

    private static void requireSelf(String userId, Requester requester) {
        if (!userId.equals(requester.userId())) {
            throw MatrixException.forbidden("You may only change your own profile");
        }
    }
}
