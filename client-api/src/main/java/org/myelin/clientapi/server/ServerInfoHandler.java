package org.myelin.clientapi.server;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.myelin.clientapi.account.AccountSettings;
import org.myelin.clientapi.auth.Requester;
import org.myelin.clientapi.http.ClientApiSettings;
import org.myelin.clientapi.slidingsync.SlidingSyncHandler;
import org.myelin.federation.protocol.room.RoomVersion;
import org.myelin.federation.protocol.room.RoomVersions;
import org.myelin.http.Responses;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;

/** What a client asks before anything else: /versions, /.well-known/matrix/client, /capabilities. */
@Component
public class ServerInfoHandler {

    /**
     * Client-Server API versions whose endpoints Myelin serves: the r0 releases too, whose endpoints answer under
     * {@code /_matrix/client/r0} as Synapse serves and lists them.
     */
    static final List<String> VERSIONS = List.of("r0.0.1", "r0.1.0", "r0.2.0", "r0.3.0", "r0.4.0", "r0.5.0",
            "r0.6.0", "r0.6.1", "v1.1", "v1.2", "v1.3", "v1.4", "v1.5", "v1.6", "v1.7", "v1.8",
            "v1.9", "v1.10", "v1.11", "v1.12", "v1.13", "v1.14", "v1.15", "v1.16", "v1.17", "v1.18", "v1.19");

    private final ClientApiSettings settings;
    private final AccountSettings accounts;

    public ServerInfoHandler(ClientApiSettings settings, AccountSettings accounts) {
        this.settings = settings;
        this.accounts = accounts;
    }

    /** GET /_matrix/client/versions */
    public Mono<ServerResponse> versions(ServerRequest request) {
        return Responses.ok(Map.of("versions", VERSIONS, "unstable_features",
                Map.of(SlidingSyncHandler.UNSTABLE_FEATURE, true)));
    }

    /** GET /.well-known/matrix/client */
    public Mono<ServerResponse> wellKnown(ServerRequest request) {
        return Responses.ok(Map.of("m.homeserver", Map.of("base_url", settings.publicBaseUrl())));
    }

    /** GET /_matrix/client/v3/capabilities */
    public Mono<ServerResponse> capabilities(ServerRequest request, Requester requester) {
        Map<String, Object> available = new LinkedHashMap<>();
        for (RoomVersion v : RoomVersions.all().values()) {
            available.put(v.id(), v.stable() ? "stable" : "unstable");
        }
        Map<String, Object> caps = new LinkedHashMap<>();
        caps.put("m.change_password", Map.of("enabled", true));
        caps.put("m.room_versions", Map.of("default", RoomVersions.DEFAULT.id(), "available", available));
        caps.put("m.set_displayname", Map.of("enabled", true));
        caps.put("m.set_avatar_url", Map.of("enabled", true));
        // E-mail addresses can be added and removed when this server sends mail (phone numbers never).
        caps.put("m.3pid_changes", Map.of("enabled", accounts.email().enabled()));
        caps.put("m.get_login_token", Map.of("enabled", false));
        caps.put("m.profile_fields", Map.of("enabled", true));
        return Responses.ok(Map.of("capabilities", caps));
    }
}
