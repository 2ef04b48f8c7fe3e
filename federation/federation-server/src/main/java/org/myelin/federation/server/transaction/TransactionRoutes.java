package org.myelin.federation.server.transaction;

import java.time.Clock;

import org.myelin.db.federation.InboundTransactionRepository;
import org.myelin.ephemeral.receipts.ReceiptService;
import org.myelin.ephemeral.typing.TypingService;
import org.myelin.federation.server.auth.FederationRouteTable;
import org.myelin.federation.server.client.FederationClient;
import org.myelin.federation.server.keys.KeyRing;
import org.myelin.room.graph.RoomEventService;
import org.myelin.room.graph.RoomStore;
import org.springframework.http.HttpMethod;

import reactor.core.scheduler.Scheduler;

/** Adds {@code PUT /_matrix/federation/v1/send/{txnId}}, behind X-Matrix, to the server-server API's table. */
public final class TransactionRoutes {

    /** What receiving transactions needs. */
    public record Parts(RoomStore store, RoomEventService events, KeyRing keys, FederationClient client,
                        TypingService typing, ReceiptService receipts, Scheduler cpu, Clock clock) {
    }

    private TransactionRoutes() {
    }

    public static FederationRouteTable addTo(FederationRouteTable table, Parts parts) {
        RoomAcls acls = new RoomAcls(parts.store());
        InboundPdus pdus = new InboundPdus(parts.store(), parts.events(), new PduSignatures(parts.keys(), parts.cpu()),
                acls, parts.client());
        InboundEdus edus = new InboundEdus(parts.store(), acls, parts.typing(), parts.receipts(), parts.clock());
        TransactionHandler handler = new TransactionHandler(pdus, edus,
                new InboundTransactionRepository(parts.store().db()), parts.clock());
        return table.signed(HttpMethod.PUT, "/_matrix/federation/v1/send/{txnId}", handler::send);
    }
}
