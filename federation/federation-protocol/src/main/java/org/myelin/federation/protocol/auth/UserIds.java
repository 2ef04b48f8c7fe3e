package org.myelin.federation.protocol.auth;

import java.util.regex.Pattern;

/**
 * The few identifier facts the auth rules need: whether a string is a user ID, and the server part of a user,
 * room (v1–11) or event (v1–2) ID. Kept here so the rules depend on no other package of this module.
 */
final class UserIds {

    /** Historical user IDs allow any printable ASCII except ':' in the localpart (appendix "User Identifiers"). */
    private static final Pattern USER_ID = Pattern.compile(
            "@[\\x21-\\x39\\x3B-\\x7E]+:(\\[[0-9A-Fa-f:.]{2,45}]|[A-Za-z0-9.-]{1,255})(:[0-9]{1,5})?");
    private static final int MAX_LENGTH = 255;

    private UserIds() {
    }

    /** True when {@code value} has the syntax of a user ID (historical localparts accepted). */
    static boolean isValid(String value) {
        return value != null && value.length() <= MAX_LENGTH && USER_ID.matcher(value).matches();
    }

    /** The server name after the first ':' of a sigil-prefixed ID, or "" when there is none. */
    static String domain(String id) {
        if (id == null) {
            return "";
        }
        int colon = id.indexOf(':');
        return colon < 0 ? "" : id.substring(colon + 1);
    }
}
