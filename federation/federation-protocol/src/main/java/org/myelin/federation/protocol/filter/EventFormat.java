package org.myelin.federation.protocol.filter;

/** The {@code event_format} of a filter: how events are shaped in a response. */
public enum EventFormat {

    /** Client format (the default): {@code unsigned}, no hashes or signatures. */
    CLIENT("client"),
    /** The raw event as received over federation. */
    FEDERATION("federation");

    private final String wireName;

    EventFormat(String wireName) {
        this.wireName = wireName;
    }

    /** The value as it appears in JSON. */
    public String wireName() {
        return wireName;
    }

    /** The format named {@code value}, or null when it names none. */
    public static EventFormat fromWire(String value) {
        for (EventFormat f : values()) {
            if (f.wireName.equals(value)) {
                return f;
            }
        }
        return null;
    }
}
