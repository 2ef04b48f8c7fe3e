package org.myelin.clientapi.ephemeral;

import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.http.HttpMethod.PUT;

import org.myelin.clientapi.ephemeral.accountdata.AccountDataHandler;
import org.myelin.clientapi.ephemeral.accountdata.TagHandler;
import org.myelin.clientapi.ephemeral.presence.PresenceHandler;
import org.myelin.clientapi.ephemeral.receipts.ReceiptHandler;
import org.myelin.clientapi.ephemeral.todevice.ToDeviceHandler;
import org.myelin.clientapi.ephemeral.typing.TypingHandler;
import org.myelin.clientapi.http.ClientRouteTable;
import org.myelin.clientapi.http.RouteContributor;
import org.springframework.stereotype.Component;

/** Routes of typing, receipts and read markers, presence, account data and tags, and send-to-device. */
@Component
public class EphemeralRoutes implements RouteContributor {

    private static final String V3 = "/_matrix/client/v3";

    private final TypingHandler typing;
    private final ReceiptHandler receipts;
    private final PresenceHandler presence;
    private final AccountDataHandler accountData;
    private final TagHandler tags;
    private final ToDeviceHandler toDevice;

    public EphemeralRoutes(TypingHandler typing, ReceiptHandler receipts, PresenceHandler presence,
            AccountDataHandler accountData, TagHandler tags, ToDeviceHandler toDevice) {
        this.typing = typing;
        this.receipts = receipts;
        this.presence = presence;
        this.accountData = accountData;
        this.tags = tags;
        this.toDevice = toDevice;
    }

    @Override
    public void register(ClientRouteTable routes) {
        routes.authed(PUT, V3 + "/rooms/{roomId}/typing/{userId}", typing::setTyping);
        routes.authed(POST, V3 + "/rooms/{roomId}/receipt/{receiptType}/{eventId}", receipts::sendReceipt);
        routes.authed(POST, V3 + "/rooms/{roomId}/read_markers", receipts::setReadMarkers);
        routes.authed(PUT, V3 + "/presence/{userId}/status", presence::setPresence);
        routes.authed(GET, V3 + "/presence/{userId}/status", presence::getPresence);
        routes.authed(PUT, V3 + "/user/{userId}/account_data/{type}", accountData::putGlobal);
        routes.authed(GET, V3 + "/user/{userId}/account_data/{type}", accountData::getGlobal);
        routes.authed(PUT, V3 + "/user/{userId}/rooms/{roomId}/account_data/{type}", accountData::putRoom);
        routes.authed(GET, V3 + "/user/{userId}/rooms/{roomId}/account_data/{type}", accountData::getRoom);
        routes.authed(GET, V3 + "/user/{userId}/rooms/{roomId}/tags", tags::getTags);
        routes.authed(PUT, V3 + "/user/{userId}/rooms/{roomId}/tags/{tag}", tags::putTag);
        routes.authed(DELETE, V3 + "/user/{userId}/rooms/{roomId}/tags/{tag}", tags::deleteTag);
        routes.authed(PUT, V3 + "/sendToDevice/{eventType}/{txnId}", toDevice::sendToDevice);
    }
}
