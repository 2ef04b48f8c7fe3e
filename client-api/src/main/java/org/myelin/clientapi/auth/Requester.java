package org.myelin.clientapi.auth;

/**
 * The authenticated user behind a request: who, on which device, with which access token (by row id), and whether
 * the account is a guest (spec "Guest Access": a guest may use only some endpoints).
 */
public record Requester(String userId, String deviceId, boolean admin, long accessTokenId, boolean guest) {

    /** A full (non-guest) account. */
    public Requester(String userId, String deviceId, boolean admin, long accessTokenId) {
        this(userId, deviceId, admin, accessTokenId, false);
    }
}
