package org.myelin.clientapi.http;

import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.http.HttpMethod.PUT;

import java.util.Set;

import org.springframework.http.HttpMethod;

/**
 * The authenticated endpoints a guest account may use (spec: client-server-api "Guest Access", Client behaviour);
 * every other authenticated endpoint answers a guest 403 M_GUEST_ACCESS_FORBIDDEN. Endpoints that need no access
 * token at all (profiles, the directory, /register to upgrade) are open to guests anyway. The list is kept here,
 * in one place, by the routes' method and path template, so a new route is closed to guests unless added.
 */
final class GuestAccess {

    private static final String V3 = "/_matrix/client/v3";
    private static final String ROOM = V3 + "/rooms/{roomId}";
    private static final String MEDIA = "/_matrix/client/v1/media";

    private static final Set<String> ALLOWED = Set.of(
            // Retrieving events and associated media.
            key(GET, ROOM + "/state"),
            key(GET, ROOM + "/context/{eventId}"),
            key(GET, ROOM + "/event/{eventId}"),
            key(GET, ROOM + "/state/{eventType}"),
            key(GET, ROOM + "/state/{eventType}/"),
            key(GET, ROOM + "/state/{eventType}/{stateKey}"),
            key(GET, ROOM + "/messages"),
            key(GET, ROOM + "/members"),
            key(GET, ROOM + "/initialSync"),
            key(GET, V3 + "/sync"),
            key(GET, V3 + "/events"),
            key(GET, MEDIA + "/download/{serverName}/{mediaId}"),
            key(GET, MEDIA + "/download/{serverName}/{mediaId}/{fileName}"),
            key(GET, MEDIA + "/thumbnail/{serverName}/{mediaId}"),
            // Sending events.
            key(POST, ROOM + "/join"),
            key(POST, ROOM + "/leave"),
            key(PUT, ROOM + "/send/{eventType}/{txnId}"),
            key(PUT, ROOM + "/state/{eventType}"),
            key(PUT, ROOM + "/state/{eventType}/"),
            key(PUT, ROOM + "/state/{eventType}/{stateKey}"),
            key(PUT, V3 + "/sendToDevice/{eventType}/{txnId}"),
            // Their own account.
            key(PUT, V3 + "/profile/{userId}/{keyName}"),
            key(GET, V3 + "/devices"),
            key(GET, V3 + "/devices/{deviceId}"),
            key(PUT, V3 + "/devices/{deviceId}"),
            key(GET, V3 + "/account/whoami"),
            // End-to-end encryption.
            key(POST, V3 + "/keys/upload"),
            key(POST, V3 + "/keys/query"),
            key(POST, V3 + "/keys/claim"),
            // NOTSPEC: as in Synapse, guests may also join by ID or alias (POST /join/{roomIdOrAlias}, which
            // matrix-js-sdk's joinRoom uses; the guest_access rule holds there too), log out, see key changes,
            // type, send receipts and read markers, and set and read presence, as clients do in a joined room.
            key(POST, V3 + "/join/{roomIdOrAlias}"),
            key(POST, V3 + "/logout"),
            key(GET, V3 + "/keys/changes"),
            key(PUT, ROOM + "/typing/{userId}"),
            key(POST, ROOM + "/receipt/{receiptType}/{eventId}"),
            key(POST, ROOM + "/read_markers"),
            key(PUT, V3 + "/presence/{userId}/status"),
            key(GET, V3 + "/presence/{userId}/status"));

    private GuestAccess() {
    }

    /** Whether a guest may call the route. */
    static boolean allowed(HttpMethod method, String pathTemplate) {
        return ALLOWED.contains(key(method, pathTemplate));
    }

    private static String key(HttpMethod method, String pathTemplate) {
        return method.name() + " " + pathTemplate;
    }
}
