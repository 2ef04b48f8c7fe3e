package org.myelin.voip.relay;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.ice4j.attribute.Attribute;
import org.ice4j.message.MessageFactory;
import org.ice4j.message.Response;

/**
 * Handles authenticated Allocate requests (RFC 8656 §7.2): checks the 5-tuple (437), REQUESTED-TRANSPORT (400, 442),
 * address family (440), EVEN-PORT and RESERVATION-TOKEN (400, 508), the user's quota (486), binds a relay socket from
 * the port range (508 when none is free) and answers with XOR-RELAYED-ADDRESS, XOR-MAPPED-ADDRESS and LIFETIME.
 */
final class AllocateHandler {

    private static final int UDP = 17;
    private static final int BIND_ATTEMPTS = 16;

    private final AllocationTable table;
    private final RelaySocketBinder binder;
    private final InetAddress advertisedAddress;

    AllocateHandler(AllocationTable table, RelaySocketBinder binder, InetAddress advertisedAddress) {
        this.table = table;
        this.binder = binder;
        this.advertisedAddress = advertisedAddress;
    }

    byte[] handle(TurnRequest request) {
        RawStunMessage message = request.raw();
        Allocation existing = table.find(request.fiveTuple());
        if (existing != null) {
            return existing.isAllocateTransaction(request.transactionId())
                    ? success(request, existing, null)
                    : request.error(437, "Allocation Mismatch");
        }
        int transport = message.firstByte(Attribute.REQUESTED_TRANSPORT);
        if (transport < 0) {
            return request.error(400, "Bad Request: REQUESTED-TRANSPORT missing");
        }
        if (transport != UDP) {
            return request.error(442, "Unsupported Transport Protocol");
        }
        int evenPort = message.firstByte(Attribute.EVEN_PORT);
        byte[] token = message.value(Attribute.RESERVATION_TOKEN);
        int family = message.firstByte(Attribute.REQUESTED_ADDRESS_FAMILY);
        if (token != null && (evenPort >= 0 || family >= 0 || token.length != 8)) {
            return request.error(400, "Bad Request: RESERVATION-TOKEN with EVEN-PORT or address family");
        }
        if (family >= 0 && !familyMatches(family)) {
            return request.error(440, "Address Family not Supported");
        }
        int admission = table.admissionError(request.fiveTuple(), AllocationTable.ownerOf(request.username()));
        if (admission != 0) {
            return request.error(admission, admission == 437 ? "Allocation Mismatch" : "Allocation Quota Reached");
        }
        boolean reserveNext = evenPort >= 0 && (evenPort & 0x80) != 0;
        RelayEndpoint relay = token != null ? bindReserved(token) : bindFromPool(evenPort >= 0, reserveNext);
        if (relay == null) {
            return request.error(508, "Insufficient Capacity");
        }
        long lifetime = message.uint32(Attribute.LIFETIME);
        long seconds = table.grantedLifetimeSeconds(lifetime < 0 ? null : lifetime);
        Allocation allocation = table.register(request.fiveTuple(), request.username(), relay,
                new InetSocketAddress(advertisedAddress, relay.port()), request.client(), request.transactionId(),
                seconds);
        if (allocation == null) {
            relay.close();
            releaseAll(relay.port(), reserveNext);
            return request.error(486, "Allocation Quota Reached");
        }
        relay.attach(allocation);
        byte[] reservation = reserveNext ? table.reserve(relay.port() + 1) : null;
        return success(request, allocation, reservation);
    }

    private boolean familyMatches(int family) {
        return family == (advertisedAddress instanceof Inet4Address ? 0x01 : 0x02);
    }

    private byte[] success(TurnRequest request, Allocation allocation, byte[] reservation) {
        long remaining = Math.max(0, (allocation.expiresAtMillis() - table.nowMillis()) / 1000);
        Response response = MessageFactory.createAllocationResponse(
                StunResponses.withTransactionId(request.transactionId()),
                StunResponses.address(request.fiveTuple().client()),
                StunResponses.address(allocation.relayedAddress()), reservation, (int) remaining);
        return request.success(response);
    }

    private RelayEndpoint bindReserved(byte[] token) {
        int port = table.redeem(token);
        if (port < 0) {
            return null;
        }
        try {
            return binder.bind(port);
        } catch (IOException e) {
            table.releasePort(port);
            return null;
        }
    }

    private RelayEndpoint bindFromPool(boolean even, boolean reserveNext) {
        for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
            int port = table.acquirePort(even, reserveNext);
            if (port < 0) {
                return null;
            }
            try {
                return binder.bind(port);
            } catch (IOException e) {
                releaseAll(port, reserveNext);
            }
        }
        return null;
    }

    private void releaseAll(int port, boolean withNext) {
        table.releasePort(port);
        if (withNext) {
            table.releasePort(port + 1);
        }
    }
}
