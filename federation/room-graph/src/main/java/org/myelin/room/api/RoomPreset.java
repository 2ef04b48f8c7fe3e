package org.myelin.room.api;

/** The createRoom presets and the join rules, history visibility and guest access each implies. */
public enum RoomPreset {
    PRIVATE_CHAT("invite", "shared", "can_join"),
    TRUSTED_PRIVATE_CHAT("invite", "shared", "can_join"),
    PUBLIC_CHAT("public", "shared", "forbidden");

    private final String joinRule;
    private final String historyVisibility;
    private final String guestAccess;

    RoomPreset(String joinRule, String historyVisibility, String guestAccess) {
        this.joinRule = joinRule;
        this.historyVisibility = historyVisibility;
        this.guestAccess = guestAccess;
    }

    public String joinRule() {
        return joinRule;
    }

    public String historyVisibility() {
        return historyVisibility;
    }

    public String guestAccess() {
        return guestAccess;
    }
}
