package org.myelin.clientapi.http;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.http.HttpMethod;

/**
 * The endpoints of the r0.6.1 Client-Server API, which every route of them also answers under {@code r0}
 * ({@code /_matrix/client/r0/...}, {@code /_matrix/media/r0/...}) as Synapse serves them, so that older clients
 * keep working. An endpoint the spec added later (v1.1 on: key backups, cross-signing, knocking, refresh, the v1
 * endpoints, room and user reports) is not listed, nor is a method added later to an old path. Listed by method and
 * v3 path with the path variables unnamed; a route registered on such a v3 path gets its r0 twin in
 * {@link ClientRouteTable}, whichever area registers it.
 */
final class R0Aliases {

    private static final String CLIENT_V3 = "/_matrix/client/v3";
    private static final String CLIENT_R0 = "/_matrix/client/r0";
    private static final String MEDIA_V3 = "/_matrix/media/v3";
    private static final String MEDIA_R0 = "/_matrix/media/r0";
    private static final Pattern VARIABLE = Pattern.compile("\\{[^}]*}");

    private static final Set<String> CLIENT = Set.of(
            // accounts, devices, profiles
            "GET /login", "POST /login", "GET /login/sso/redirect", "POST /logout", "POST /logout/all",
            "POST /register", "GET /register/available", "POST /register/email/requestToken",
            "POST /register/msisdn/requestToken", "POST /account/password",
            "POST /account/password/email/requestToken", "POST /account/password/msisdn/requestToken",
            "POST /account/deactivate", "GET /account/whoami", "GET /account/3pid", "POST /account/3pid",
            "POST /account/3pid/add", "POST /account/3pid/bind", "POST /account/3pid/delete",
            "POST /account/3pid/unbind", "POST /account/3pid/email/requestToken",
            "POST /account/3pid/msisdn/requestToken", "GET /admin/whois/{}", "GET /capabilities",
            "POST /user/{}/openid/request_token", "GET /devices", "GET /devices/{}", "PUT /devices/{}",
            "DELETE /devices/{}", "POST /delete_devices", "GET /profile/{}", "GET /profile/{}/{}",
            "PUT /profile/{}/{}", "POST /user_directory/search",
            // sync, filters, account data, ephemeral
            "GET /sync", "GET /events", "GET /events/{}", "GET /initialSync", "POST /user/{}/filter",
            "GET /user/{}/filter/{}", "GET /user/{}/account_data/{}", "PUT /user/{}/account_data/{}",
            "GET /user/{}/rooms/{}/account_data/{}", "PUT /user/{}/rooms/{}/account_data/{}",
            "GET /user/{}/rooms/{}/tags", "PUT /user/{}/rooms/{}/tags/{}", "DELETE /user/{}/rooms/{}/tags/{}",
            "PUT /rooms/{}/typing/{}", "POST /rooms/{}/receipt/{}/{}", "POST /rooms/{}/read_markers",
            "GET /presence/{}/status", "PUT /presence/{}/status", "PUT /sendToDevice/{}/{}",
            // rooms
            "POST /createRoom", "GET /joined_rooms", "POST /join/{}", "POST /rooms/{}/join", "POST /rooms/{}/invite",
            "POST /rooms/{}/leave", "POST /rooms/{}/forget", "POST /rooms/{}/kick", "POST /rooms/{}/ban",
            "POST /rooms/{}/unban", "PUT /rooms/{}/send/{}/{}", "POST /rooms/{}/send/{}", "PUT /rooms/{}/state/{}",
            "PUT /rooms/{}/state/{}/", "PUT /rooms/{}/state/{}/{}", "GET /rooms/{}/state", "GET /rooms/{}/state/{}",
            "GET /rooms/{}/state/{}/", "GET /rooms/{}/state/{}/{}", "GET /rooms/{}/members",
            "GET /rooms/{}/joined_members", "GET /rooms/{}/event/{}", "GET /rooms/{}/messages",
            "GET /rooms/{}/context/{}", "GET /rooms/{}/initialSync", "PUT /rooms/{}/redact/{}/{}",
            "POST /rooms/{}/report/{}", "POST /rooms/{}/upgrade", "POST /search",
            // directory
            "PUT /directory/room/{}", "GET /directory/room/{}", "DELETE /directory/room/{}", "GET /rooms/{}/aliases",
            "GET /directory/list/room/{}", "PUT /directory/list/room/{}", "PUT /directory/list/appservice/{}/{}",
            "GET /publicRooms", "POST /publicRooms",
            // end-to-end encryption (the r0.6.1 set)
            "POST /keys/upload", "POST /keys/query", "POST /keys/claim", "GET /keys/changes",
            // push
            "GET /pushers", "POST /pushers/set", "GET /notifications", "GET /pushrules/", "GET /pushrules",
            "GET /pushrules/{}/", "GET /pushrules/{}", "GET /pushrules/{}/{}/", "GET /pushrules/{}/{}",
            "GET /pushrules/{}/{}/{}", "PUT /pushrules/{}/{}/{}", "DELETE /pushrules/{}/{}/{}",
            "GET /pushrules/{}/{}/{}/enabled", "PUT /pushrules/{}/{}/{}/enabled",
            "GET /pushrules/{}/{}/{}/actions", "PUT /pushrules/{}/{}/{}/actions",
            // third-party networks, VoIP
            "GET /thirdparty/protocols", "GET /thirdparty/protocol/{}", "GET /thirdparty/location/{}",
            "GET /thirdparty/user/{}", "GET /thirdparty/location", "GET /thirdparty/user", "GET /voip/turnServer");

    private static final Set<String> MEDIA = Set.of("POST /upload", "GET /download/{}/{}", "GET /download/{}/{}/{}",
            "GET /thumbnail/{}/{}", "GET /preview_url", "GET /config");

    private R0Aliases() {
    }

    /** The r0 path of a v3 route whose endpoint r0.6.1 had; empty for any other route. */
    static Optional<String> of(HttpMethod method, String path) {
        return alias(method, path, CLIENT_V3, CLIENT_R0, CLIENT)
                .or(() -> alias(method, path, MEDIA_V3, MEDIA_R0, MEDIA));
    }

    private static Optional<String> alias(HttpMethod method, String path, String v3, String r0, Set<String> known) {
        if (!path.startsWith(v3 + "/")) {
            return Optional.empty();
        }
        String rest = path.substring(v3.length());
        return known.contains(method.name() + " " + VARIABLE.matcher(rest).replaceAll("{}"))
                ? Optional.of(r0 + rest) : Optional.empty();
    }
}
