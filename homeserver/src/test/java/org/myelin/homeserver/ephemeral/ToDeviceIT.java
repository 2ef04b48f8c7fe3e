package org.myelin.homeserver.ephemeral;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.myelin.clientapi.ephemeral.todevice.ToDeviceSource;
import org.myelin.clientapi.sync.SyncRequest;
import org.myelin.clientapi.sync.SyncResponseBuilder;
import org.myelin.db.notify.StreamPosition;
import org.myelin.homeserver.support.Accounts.Session;
import org.springframework.beans.factory.annotation.Autowired;

/** PUT /sendToDevice and the "to_device" sync stream: fan-out, idempotence, delivery until acknowledged. */
class ToDeviceIT extends EphemeralIT {

    @Autowired
    private ToDeviceSource source;

    @Test
    void sendingShouldBeValidated() {
        Session alice = user("tda");
        String uri = V3 + "/sendToDevice/m.test/" + unique("txn");

        expectError(put(uri, Map.of("messages", Map.of()), null), 401, "M_MISSING_TOKEN");
        expectError(put(uri, Map.of(), alice.accessToken()), 400, "M_MISSING_PARAM");
        expectError(put(uri, Map.of("messages", List.of()), alice.accessToken()), 400, "M_BAD_JSON");
        expectError(put(uri, Map.of("messages", Map.of("bob", Map.of())), alice.accessToken()), 400,
                "M_INVALID_PARAM");
        expectError(put(uri, Map.of("messages", Map.of(alice.userId(), Map.of("*", 1))), alice.accessToken()), 400,
                "M_BAD_JSON");
        assertThat(ok(put(uri, Map.of("messages", Map.of("@far:remote.example", Map.of("*", Map.of("k", 1)))),
                alice.accessToken()))).isEmpty();
    }

    @Test
    void aMessageShouldReachEveryDeviceAndStayUntilAcknowledged() {
        Session alice = user("tdb");
        Session bobPhone = user("tdc");
        Session bobLaptop = accounts.login(bobPhone.userId(), "pw-tdc-1", false);
        SyncRequest phone = syncRequest(bobPhone, Set.of());
        SyncRequest laptop = syncRequest(bobLaptop, Set.of());
        long start = source.currentPosition().block();
        String txn = unique("txn");
        Map<String, Object> body = Map.of("messages", Map.of(bobPhone.userId(), Map.of("*", Map.of("secret", 7))));

        ok(put(V3 + "/sendToDevice/m.room_key_request/" + txn, body, alice.accessToken()));
        ok(put(V3 + "/sendToDevice/m.room_key_request/" + txn, body, alice.accessToken()));
        long afterSend = source.currentPosition().block();

        for (SyncRequest device : List.of(phone, laptop)) {
            SyncResponseBuilder out = contribute(source, device, start);
            assertThat(out.toDevice()).hasSize(1);
            assertThat(out.toDevice().get(0).get("type").asString()).isEqualTo("m.room_key_request");
            assertThat(out.toDevice().get(0).get("sender").asString()).isEqualTo(alice.userId());
            assertThat(out.toDevice().get(0).get("content").get("secret").asInt()).isEqualTo(7);
        }
        assertThat(contribute(source, phone, start).toDevice()).as("not yet acknowledged").hasSize(1);
        assertThat(contribute(source, phone, afterSend).toDevice()).isEmpty();
        assertThat(contribute(source, phone, 0).toDevice()).as("deleted once acknowledged").isEmpty();
        assertThat(contribute(source, laptop, 0).toDevice()).as("the other device has not acknowledged").hasSize(1);
        assertThat(source.concerns(StreamPosition.of("to_device", afterSend, bobPhone.userId()), phone)).isTrue();
        assertThat(source.concerns(StreamPosition.of("to_device", afterSend, alice.userId()), phone)).isFalse();
    }

    @Test
    void aMessageForOneDeviceShouldReachOnlyThatDevice() {
        Session alice = user("tdd");
        Session bobPhone = user("tde");
        Session bobLaptop = accounts.login(bobPhone.userId(), "pw-tde-1", false);
        long start = source.currentPosition().block();

        ok(put(V3 + "/sendToDevice/m.dummy/" + unique("txn"), Map.of("messages", Map.of(bobPhone.userId(),
                Map.of(bobLaptop.deviceId(), Map.of(), "NOSUCHDEVICE", Map.of()))), alice.accessToken()));

        assertThat(contribute(source, syncRequest(bobLaptop, Set.of()), start).toDevice()).hasSize(1);
        assertThat(contribute(source, syncRequest(bobPhone, Set.of()), start).toDevice()).isEmpty();
    }
}
