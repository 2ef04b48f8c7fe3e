package org.myelin.federation.protocol.id;

/** IPv4 and IPv6 literal checks for server names (RFC 3513 section 2.2 text forms). */
public final class IpLiterals {

    private IpLiterals() {
    }

    /** Four dot-separated runs of 1–3 ASCII digits, whatever their values. */
    static boolean looksLikeIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }

    /** A dotted quad whose four numbers are each 0–255. */
    public static boolean isIpv4(String s) {
        if (!looksLikeIpv4(s)) {
            return false;
        }
        for (String part : s.split("\\.")) {
            if (Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    /** The RFC 3513 text forms: eight hex groups, at most one {@code ::}, optionally ending in an IPv4 quad. */
    public static boolean isIpv6(String s) {
        if (s.length() < 2 || s.length() > 45) {
            return false;
        }
        int gap = s.indexOf("::");
        if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
            return false;
        }
        if (gap < 0) {
            return groups(s, true) == 8;
        }
        String head = s.substring(0, gap);
        String tail = s.substring(gap + 2);
        int headGroups = head.isEmpty() ? 0 : groups(head, false);
        int tailGroups = tail.isEmpty() ? 0 : groups(tail, true);
        return headGroups >= 0 && tailGroups >= 0 && headGroups + tailGroups <= 7;
    }

    /** Counts the 16-bit groups in a colon-separated run, or returns -1 if a group is malformed. */
    private static int groups(String run, boolean ipv4TailAllowed) {
        String[] parts = run.split(":", -1);
        int count = 0;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (ipv4TailAllowed && i == parts.length - 1 && part.contains(".")) {
                if (!isIpv4(part)) {
                    return -1;
                }
                count += 2;
            } else if (isHexGroup(part)) {
                count++;
            } else {
                return -1;
            }
        }
        return count;
    }

    private static boolean isHexGroup(String part) {
        if (part.isEmpty() || part.length() > 4) {
            return false;
        }
        for (int i = 0; i < part.length(); i++) {
            if (Character.digit(part.charAt(i), 16) < 0 || part.charAt(i) > 'f') {
                return false;
            }
        }
        return true;
    }
}
