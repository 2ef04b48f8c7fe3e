package org.myelin.http;

/**
 * The longest strings, in UTF-16 characters, that request fields may hold. The spec sets byte limits for
 * identifiers and whole events only; these follow Synapse where it has one.
 */
public final class TextLimits {

    /** Any string field without a limit of its own below. */
    public static final int DEFAULT = 4096;
    /** A user's display name (Synapse's MAX_DISPLAYNAME_LEN). */
    public static final int DISPLAY_NAME = 256;
    /** A device's display name (Synapse's MAX_DEVICE_DISPLAY_NAME_LEN). */
    public static final int DEVICE_NAME = 100;
    /** An avatar's mxc URI. */
    public static final int AVATAR_URL = 1000;
    /** A presence status message. */
    public static final int STATUS_MESSAGE = 1000;
    /** The reason given for a kick, ban, redaction or report. */
    public static final int REASON = 1000;
    /** A push rule's glob pattern. */
    public static final int PUSH_PATTERN = 1000;

    /** How much of a client's input an error message may quote. */
    public static final int EXCERPT = 64;

    private TextLimits() {
    }

    /** {@code text} cut to {@link #EXCERPT} characters, marked with an ellipsis when cut. */
    public static String excerpt(String text) {
        return cut(text, EXCERPT);
    }

    /** {@code text} cut to {@code max} characters, marked with an ellipsis when cut. */
    public static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }
}
