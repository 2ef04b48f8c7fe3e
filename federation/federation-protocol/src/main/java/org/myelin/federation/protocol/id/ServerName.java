package org.myelin.federation.protocol.id;

import java.util.OptionalInt;

/**
 * A homeserver's name: a DNS name, an IPv4 literal or a bracketed IPv6 literal, with an optional port
 * (appendices "Server Name"). Compared case-sensitively, as the spec requires.
 *
 * @param value the server name exactly as written, e.g. {@code matrix.org:8448}
 */
public record ServerName(String value) {

    private static final String WHAT = "server name";

    /** Validates {@code value} against the server name grammar. */
    public ServerName {
        IdentifierGrammar.requireNonNull(value, WHAT);
        int portStart = hostEnd(value);
        if (portStart < value.length()) {
            if (value.charAt(portStart) != ':' || !isPort(value.substring(portStart + 1))) {
                throw IdentifierGrammar.invalid(WHAT, value);
            }
        }
    }

    /** Parses a server name; throws {@code MatrixException(M_INVALID_PARAM)} when it is malformed. */
    public static ServerName parse(String value) {
        return new ServerName(value);
    }

    /** The hostname part: DNS name, IPv4 literal, or IPv6 literal including its brackets. */
    public String host() {
        return value.substring(0, hostEnd(value));
    }

    /** True when the hostname is an IPv4 literal or a bracketed IPv6 literal rather than a DNS name. */
    public boolean hostIsIpLiteral() {
        String host = host();
        return host.startsWith("[") || IpLiterals.isIpv4(host);
    }

    /** The explicit port, if one was given. */
    public OptionalInt port() {
        int end = hostEnd(value);
        return end == value.length() ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(value.substring(end + 1)));
    }

    @Override
    public String toString() {
        return value;
    }

    /** Validates the hostname and returns the index just after it. */
    private static int hostEnd(String value) {
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0 || !IpLiterals.isIpv6(value.substring(1, close))) {
                throw IdentifierGrammar.invalid(WHAT, value);
            }
            return close + 1;
        }
        int colon = value.indexOf(':');
        int end = colon < 0 ? value.length() : colon;
        if (!isDnsNameOrIpv4(value.substring(0, end))) {
            throw IdentifierGrammar.invalid(WHAT, value);
        }
        return end;
    }

    private static boolean isDnsNameOrIpv4(String host) {
        if (host.isEmpty() || host.length() > 255) {
            return false;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean dnsChar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.';
            if (!dnsChar) {
                return false;
            }
        }
        // A dotted quad is an IPv4 literal, whose parts the spec limits to 0-255.
        return !IpLiterals.looksLikeIpv4(host) || IpLiterals.isIpv4(host);
    }

    private static boolean isPort(String port) {
        if (port.isEmpty() || port.length() > 5) {
            return false;
        }
        for (int i = 0; i < port.length(); i++) {
            if (port.charAt(i) < '0' || port.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
