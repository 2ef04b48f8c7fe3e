package org.myelin.federation.protocol.filter;

import java.util.List;

/**
 * The spec's {@code EventFilter}: which event types and senders pass, and how many events to return.
 *
 * <p>Types may use {@code *} as a wildcard for any sequence of characters, in {@code types} and {@code not_types}
 * alike. Senders are compared exactly (the spec defines no wildcard for them, and a historical user ID may contain
 * a literal {@code *}), except that a lone {@code *} in {@code not_senders} excludes every sender, as in Synapse.
 *
 * @param limit      the maximum number of events, or null when the client gave none (the caller's default applies)
 * @param types      event types to include; null for all
 * @param notTypes   event types to exclude, even when listed in {@code types}; never null
 * @param senders    senders to include; null for all
 * @param notSenders senders to exclude, even when listed in {@code senders}; never null
 */
public record EventFilter(Integer limit, List<String> types, List<String> notTypes, List<String> senders,
        List<String> notSenders) {

    /** The filter that lets everything through and sets no limit. */
    public static final EventFilter ALL = new EventFilter(null, null, List.of(), null, List.of());

    /** Copies the lists; null allow lists stay null (no restriction), null deny lists become empty. */
    public EventFilter {
        types = types == null ? null : List.copyOf(types);
        notTypes = notTypes == null ? List.of() : List.copyOf(notTypes);
        senders = senders == null ? null : List.copyOf(senders);
        notSenders = notSenders == null ? List.of() : List.copyOf(notSenders);
    }

    /** True when an event of {@code type} from {@code sender} passes (a null sender passes only unlisted). */
    public boolean matches(String type, String sender) {
        return allowsType(type) && allowsSender(sender);
    }

    /** True when {@code type} is not excluded and, if {@code types} is present, matches one of them. */
    public boolean allowsType(String type) {
        if (type == null) {
            return types == null && notTypes.isEmpty();
        }
        if (notTypes.stream().anyMatch(p -> wildcardMatches(p, type))) {
            return false;
        }
        return types == null || types.stream().anyMatch(p -> wildcardMatches(p, type));
    }

    /** True when {@code sender} is not excluded and, if {@code senders} is present, is one of them. */
    public boolean allowsSender(String sender) {
        if (sender == null) {
            return senders == null;
        }
        if (notSenders.contains("*") || notSenders.contains(sender)) {
            return false;
        }
        return senders == null || senders.contains(sender);
    }

    /** The client's limit, or {@code fallback} when none was given; never above {@code max}. */
    public int limitOr(int fallback, int max) {
        return Math.min(limit == null ? fallback : limit, max);
    }

    /** True when no event can pass (an empty allow list, or {@code *} in a deny list), so callers may skip work. */
    public boolean blocksEverything() {
        return (types != null && types.isEmpty()) || notTypes.contains("*")
                || (senders != null && senders.isEmpty()) || notSenders.contains("*");
    }

    /** Glob matching where {@code *} stands for any sequence of characters, including none. */
    static boolean wildcardMatches(String pattern, String value) {
        int p = 0;
        int v = 0;
        int star = -1;
        int resume = 0;
        while (v < value.length()) {
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                resume = v;
            } else if (p < pattern.length() && pattern.charAt(p) == value.charAt(v)) {
                p++;
                v++;
            } else if (star >= 0) {
                p = star + 1;
                v = ++resume;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
