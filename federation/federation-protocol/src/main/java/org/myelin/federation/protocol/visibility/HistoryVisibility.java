package org.myelin.federation.protocol.visibility;

/** The values of {@code content.history_visibility} in {@code m.room.history_visibility}. */
public enum HistoryVisibility {
    /** Anyone may see events sent while this is the value, joined or not. */
    WORLD_READABLE("world_readable"),
    /** Members see every event, including those from before they joined. */
    SHARED("shared"),
    /** Members see events from the point they were invited. */
    INVITED("invited"),
    /** Members see events from the point they joined. */
    JOINED("joined");

    /** The event type that carries the setting. */
    public static final String TYPE = "m.room.history_visibility";

    private final String value;

    HistoryVisibility(String value) {
        this.value = value;
    }

    /** The wire value, e.g. "shared". */
    public String value() {
        return value;
    }

    /**
     * The setting named by {@code value}: "if no history_visibility is set, or if the value is not understood,
     * the visibility is assumed to be shared".
     *
     * @param value the content value, or {@code null} when the room has no setting or it is not a string
     */
    public static HistoryVisibility parse(String value) {
        for (HistoryVisibility visibility : values()) {
            if (visibility.value.equals(value)) {
                return visibility;
            }
        }
        return SHARED;
    }
}
