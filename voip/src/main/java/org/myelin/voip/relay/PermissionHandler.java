package org.myelin.voip.relay;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.List;
import org.ice4j.attribute.Attribute;
import org.ice4j.message.MessageFactory;

/**
 * Handles authenticated Refresh (RFC 8656 §7.4), CreatePermission (§9) and ChannelBind (§12) requests on an existing
 * allocation: 437 without one, 441 when another user asks, 403 for peers the {@link PeerAddressPolicy} refuses, 443 for
 * a peer of the wrong address family, 400 for malformed requests and channel uniqueness conflicts.
 */
final class PermissionHandler {

    /**
     * RFC 8656 narrowed channels to 0x4000–0x4FFF, but RFC 5766 clients still in use (coturn 4.6's own client among
     * them) pick numbers up to 0x7FFF, so the older range is accepted.
     */
    private static final int CHANNEL_MIN = 0x4000;
    private static final int CHANNEL_MAX = 0x7FFF;

    private final AllocationTable table;
    private final PeerAddressPolicy policy;

    PermissionHandler(AllocationTable table, PeerAddressPolicy policy) {
        this.table = table;
        this.policy = policy;
    }

    byte[] refresh(TurnRequest request) {
        Allocation allocation = table.find(request.fiveTuple());
        if (allocation == null) {
            return request.error(437, "Allocation Mismatch");
        }
        if (!allocation.username().equals(request.username())) {
            return request.error(441, "Wrong Credentials");
        }
        long lifetime = request.raw().uint32(Attribute.LIFETIME);
        long seconds = lifetime == 0 ? 0 : table.grantedLifetimeSeconds(lifetime < 0 ? null : lifetime);
        table.refresh(allocation, seconds);
        return request.success(MessageFactory.createRefreshResponse((int) seconds));
    }

    byte[] createPermission(TurnRequest request) {
        Allocation allocation = table.find(request.fiveTuple());
        if (allocation == null) {
            return request.error(437, "Allocation Mismatch");
        }
        if (!allocation.username().equals(request.username())) {
            return request.error(441, "Wrong Credentials");
        }
        List<InetSocketAddress> peers = request.raw().xorAddresses(DataPath.XOR_PEER_ADDRESS);
        if (peers == null || peers.isEmpty()) {
            return request.error(400, "Bad Request: XOR-PEER-ADDRESS missing or malformed");
        }
        for (InetSocketAddress peer : peers) {
            byte[] refusal = refusal(request, allocation, peer);
            if (refusal != null) {
                return refusal;
            }
        }
        peers.forEach(peer -> table.permit(allocation, peer.getAddress()));
        return request.success(MessageFactory.createCreatePermissionResponse());
    }

    byte[] channelBind(TurnRequest request) {
        Allocation allocation = table.find(request.fiveTuple());
        if (allocation == null) {
            return request.error(437, "Allocation Mismatch");
        }
        if (!allocation.username().equals(request.username())) {
            return request.error(441, "Wrong Credentials");
        }
        int number = request.raw().uint16(Attribute.CHANNEL_NUMBER);
        List<InetSocketAddress> peers = request.raw().xorAddresses(DataPath.XOR_PEER_ADDRESS);
        if (number < 0 || peers == null || peers.size() != 1) {
            return request.error(400, "Bad Request: CHANNEL-NUMBER and one XOR-PEER-ADDRESS required");
        }
        if (number < CHANNEL_MIN || number > CHANNEL_MAX) {
            return request.error(400, "Bad Request: channel number out of range");
        }
        InetSocketAddress peer = peers.get(0);
        byte[] refusal = refusal(request, allocation, peer);
        if (refusal != null) {
            return refusal;
        }
        return switch (table.bindChannel(allocation, number, peer)) {
            case BOUND -> request.success(MessageFactory.createChannelBindResponse());
            case CHANNEL_TAKEN -> request.error(400, "Bad Request: channel bound to another peer");
            case PEER_TAKEN -> request.error(400, "Bad Request: peer bound to another channel");
        };
    }

    private byte[] refusal(TurnRequest request, Allocation allocation, InetSocketAddress peer) {
        boolean relayIsV4 = allocation.relayedAddress().getAddress() instanceof Inet4Address;
        if ((peer.getAddress() instanceof Inet4Address) != relayIsV4) {
            return request.error(443, "Peer Address Family Mismatch");
        }
        if (!policy.permits(peer.getAddress())) {
            return request.error(403, "Forbidden: peer address not allowed");
        }
        return null;
    }
}
