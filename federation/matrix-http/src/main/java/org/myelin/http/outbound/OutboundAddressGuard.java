package org.myelin.http.outbound;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;

/**
 * Decides whether a server-initiated request may connect to a resolved address: public unicast addresses may,
 * while loopback, private (RFC 1918, IPv6 unique-local), carrier-grade NAT, link-local, multicast, unspecified and
 * the other special-purpose blocks may only when an operator lists them ({@code MYELIN_OUTBOUND_ALLOWED_CIDRS}).
 * It is applied to each address after DNS resolution, so that a public name pointing at an internal address is
 * refused too. IPv4-mapped IPv6 addresses are judged as the IPv4 address they carry (the JDK turns them into
 * {@link java.net.Inet4Address}es).
 */
public final class OutboundAddressGuard {

    private static final List<Cidr> INTERNAL = Arrays.stream(new String[] {
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
            "192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
            "224.0.0.0/4", "240.0.0.0/4",
            "::/128", "::1/128", "64:ff9b::/96", "100::/64", "2001:db8::/32", "fc00::/7", "fe80::/10", "fec0::/10",
            "ff00::/8"}).map(Cidr::parse).toList();

    private final List<Cidr> allowed;

    /** @param allowed blocks that may be reached even though they are internal */
    public OutboundAddressGuard(List<Cidr> allowed) {
        this.allowed = List.copyOf(allowed);
    }

    /** Parses a comma-separated list of blocks, e.g. {@code 127.0.0.0/8,::1/128}; blank allows nothing internal. */
    public static OutboundAddressGuard parse(String allowedCidrs) {
        if (allowedCidrs == null || allowedCidrs.isBlank()) {
            return new OutboundAddressGuard(List.of());
        }
        return new OutboundAddressGuard(Arrays.stream(allowedCidrs.split(","))
                .filter(s -> !s.isBlank()).map(Cidr::parse).toList());
    }

    /** True when a request may connect to {@code address}. */
    public boolean permits(InetAddress address) {
        return allowed.stream().anyMatch(c -> c.contains(address)) || INTERNAL.stream().noneMatch(c -> c.contains(address));
    }

    /** The blocks listed as allowed. */
    public List<Cidr> allowed() {
        return allowed;
    }
}
