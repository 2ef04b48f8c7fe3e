package org.myelin.voip.relay;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Decides which peer addresses a client may relay to. By default it refuses everything that reaches into the relay's
 * own network (SSRF): loopback, unspecified, private (RFC 1918, IPv6 ULA), link-local, multicast, broadcast, CGNAT
 * (100.64/10) and IPv4-mapped/compatible IPv6 forms of those. Ranges on the allow-list are permitted regardless.
 */
final class PeerAddressPolicy {

    private final List<Cidr> allowed;

    /** @param allowedCidrs ranges such as {@code 127.0.0.0/8} or {@code fd00::/8} that are permitted anyway */
    PeerAddressPolicy(List<String> allowedCidrs) {
        this.allowed = allowedCidrs.stream().map(Cidr::parse).toList();
    }

    /** Whether relaying to this peer address is permitted. */
    boolean permits(InetAddress peer) {
        for (Cidr cidr : allowed) {
            if (cidr.contains(peer)) {
                return true;
            }
        }
        return !isInternal(peer);
    }

    private static boolean isInternal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xFF;
            int second = b[1] & 0xFF;
            return first == 0 || first == 255 || (first == 100 && (second & 0xC0) == 64);
        }
        if ((b[0] & 0xFE) == 0xFC) {
            return true;
        }
        if (isEmbeddedIpv4((Inet6Address) address)) {
            try {
                return isInternal(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
            } catch (UnknownHostException e) {
                return true;
            }
        }
        return false;
    }

    private static boolean isEmbeddedIpv4(Inet6Address address) {
        byte[] b = address.getAddress();
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] == 0 && b[11] == 0) || (b[10] == (byte) 0xFF && b[11] == (byte) 0xFF);
    }

    /** An address range in CIDR notation. */
    record Cidr(byte[] network, int prefixLength) {

        static Cidr parse(String text) {
            String trimmed = text.trim();
            int slash = trimmed.indexOf('/');
            String host = slash < 0 ? trimmed : trimmed.substring(0, slash);
            if (!host.matches("[0-9a-fA-F:.]+")) {
                throw new IllegalArgumentException("not an IP address range: " + text);
            }
            byte[] network;
            try {
                network = InetAddress.getByName(host).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not an IP address range: " + text, e);
            }
            int prefix = slash < 0 ? network.length * 8 : Integer.parseInt(trimmed.substring(slash + 1));
            if (prefix < 0 || prefix > network.length * 8) {
                throw new IllegalArgumentException("bad prefix length in " + text);
            }
            return new Cidr(network, prefix);
        }

        boolean contains(InetAddress address) {
            byte[] candidate = address.getAddress();
            if (candidate.length != network.length) {
                return false;
            }
            int full = prefixLength / 8;
            for (int i = 0; i < full; i++) {
                if (candidate[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefixLength % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (candidate[full] & mask) == (network[full] & mask);
        }
    }
}
