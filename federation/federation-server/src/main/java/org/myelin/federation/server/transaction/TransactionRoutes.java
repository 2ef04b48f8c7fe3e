package org.myelin.federation.server.transaction;

import java.time.Clock;
import java.util.List;

import org.myelin.db.federation.InboundTransactionRepository;
import org.myelin.ephemeral.receipts.ReceiptService;
import org.myelin.ephemeral.typing.TypingService;
import org.myelin.federation.server.auth.FederationRouteTable;
import org.myelin.federation.server.client.FederationClient;
import org.myelin.room.graph.GuestRooms;
import org.myelin.room.graph.RoomEventService;
import org.myelin.room.graph.RoomStore;
import org.springframework.http.HttpMethod;

/** Adds {@code PUT /_matrix/federation/v1/send/{txnId}}, behind X-Matrix, to the server-server API's table. */
public final class TransactionRoutes {

    /** What receiving transactions needs. */
    public record Parts(RoomStore store, RoomEventService events, PduChecks checks, FederationClient client,
                        TypingService typing, ReceiptService receipts, List<InboundEduHandler> eduHandlers,
                        GuestRooms guests, Clock clock) {
    }

    private TransactionRoutes() {
    }

    public static FederationRouteTable addTo(FederationRouteTable table, Parts parts) {
        InboundPdus pdus = new InboundPdus(parts.store(), parts.events(), parts.checks().signatures(),
                parts.checks().acls(), parts.client(), new StateFromServer(parts.client(), parts.checks()),
                parts.guests());
        InboundEdus edus = new InboundEdus(parts.store(), parts.checks().acls(), parts.typing(), parts.receipts(),
                parts.eduHandlers(), parts.clock());
        TransactionHandler handler = new TransactionHandler(pdus, edus,
                new InboundTransactionRepository(parts.store().db()), parts.clock());
        return table.signed(HttpMethod.PUT, "/_matrix/federation/v1/send/{txnId}", handler::send);
    }
}
