package org.myelin.db.room;

/**
 * How a stored event takes part in its room: an accepted event is in the timeline and may be a forward extremity
 * and part of the current state; an outlier (an auth-chain event, an invite to a room we are not in) has no place
 * in the graph yet; a rejected event failed the auth checks against its auth events or the state before it; a
 * soft-failed one passed those but not the current state. Only accepted events are shown to clients.
 *
 * @param rejectedReason why it was rejected, or null
 */
public record EventStatus(boolean outlier, String rejectedReason, boolean softFailed) {

    public static final EventStatus ACCEPTED = new EventStatus(false, null, false);
    public static final EventStatus OUTLIER = new EventStatus(true, null, false);

    public static EventStatus rejected(String reason) {
        return new EventStatus(false, reason, false);
    }

    public static EventStatus softFail() {
        return new EventStatus(false, null, true);
    }

    public boolean accepted() {
        return !outlier && rejectedReason == null && !softFailed;
    }
}
