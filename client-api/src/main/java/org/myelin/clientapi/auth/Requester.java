package org.myelin.clientapi.auth;

/** The authenticated user behind a request: who, on which device, with which access token (by row id). */
public record Requester(String userId, String deviceId, boolean admin, long accessTokenId) {
}
