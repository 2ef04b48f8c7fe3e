package org.myelin.federation.protocol.error;

/**
 * The Matrix error codes Myelin emits, each with the HTTP status it is sent with unless a caller says otherwise.
 * Spec: https://spec.matrix.org/v1.19/client-server-api/#standard-error-response
 */
public enum ErrCode {
    M_FORBIDDEN(403),
    M_UNKNOWN_TOKEN(401),
    M_MISSING_TOKEN(401),
    M_USER_LOCKED(401),
    M_USER_SUSPENDED(403),
    M_BAD_JSON(400),
    M_NOT_JSON(400),
    M_NOT_FOUND(404),
    M_LIMIT_EXCEEDED(429),
    M_UNRECOGNIZED(404),
    M_UNKNOWN(400),
    M_UNAUTHORIZED(401),
    M_USER_DEACTIVATED(403),
    M_USER_IN_USE(400),
    M_INVALID_USERNAME(400),
    M_ROOM_IN_USE(400),
    M_INVALID_ROOM_STATE(400),
    M_THREEPID_IN_USE(400),
    M_THREEPID_NOT_FOUND(400),
    M_THREEPID_AUTH_FAILED(400),
    M_THREEPID_MEDIUM_NOT_SUPPORTED(400),
    M_SERVER_NOT_TRUSTED(400),
    M_UNSUPPORTED_ROOM_VERSION(400),
    M_INCOMPATIBLE_ROOM_VERSION(400),
    M_BAD_STATE(400),
    M_GUEST_ACCESS_FORBIDDEN(403),
    M_CAPTCHA_NEEDED(400),
    M_CAPTCHA_INVALID(400),
    M_MISSING_PARAM(400),
    M_INVALID_PARAM(400),
    M_TOO_LARGE(413),
    M_EXCLUSIVE(400),
    M_RESOURCE_LIMIT_EXCEEDED(403),
    M_CANNOT_LEAVE_SERVER_NOTICE_ROOM(403),
    M_WEAK_PASSWORD(400),
    M_UNABLE_TO_AUTHORISE_JOIN(400),
    M_UNABLE_TO_GRANT_JOIN(400),
    M_DUPLICATE_ANNOTATION(400),
    M_NOT_YET_UPLOADED(504),
    M_CANNOT_OVERWRITE_MEDIA(409),
    M_UNKNOWN_POS(400),
    M_INVALID_SIGNATURE(401),
    M_PROFILE_TOO_LARGE(400),
    M_KEY_TOO_LARGE(400),
    M_BAD_ALIAS(400),
    M_WRONG_ROOM_KEYS_VERSION(403);

    private final int defaultStatus;

    ErrCode(int defaultStatus) {
        this.defaultStatus = defaultStatus;
    }

    /** The HTTP status this errcode is sent with unless the thrower names another. */
    public int defaultStatus() {
        return defaultStatus;
    }
}
