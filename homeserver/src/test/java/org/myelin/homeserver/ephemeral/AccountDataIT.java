package org.myelin.homeserver.ephemeral;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.myelin.clientapi.ephemeral.accountdata.AccountDataSource;
import org.myelin.clientapi.sync.SyncRequest;
import org.myelin.clientapi.sync.SyncResponseBuilder;
import org.myelin.db.notify.StreamPosition;
import org.myelin.homeserver.support.Accounts.Session;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;

/** Global and room account data, tags, m.direct, and the "account_data" sync stream. */
class AccountDataIT extends EphemeralIT {

    @Autowired
    private AccountDataSource source;

    @Test
    void accountDataShouldRoundTripForItsOwnerOnly() {
        Session alice = user("ada");
        Session bob = user("adb");
        String room = createRoom(alice);
        String global = V3 + "/user/" + alice.userId() + "/account_data/org.example.custom";
        String inRoom = V3 + "/user/" + alice.userId() + "/rooms/" + room + "/account_data/org.example.custom";

        expectError(get(global, alice.accessToken()), 404, "M_NOT_FOUND");
        ok(put(global, Map.of("a", 1), alice.accessToken()));
        ok(put(inRoom, Map.of("b", 2), alice.accessToken()));
        ok(put(V3 + "/user/" + alice.userId() + "/account_data/m.direct", Map.of(bob.userId(), List.of(room)),
                alice.accessToken()));

        assertThat(ok(get(global, alice.accessToken()))).isEqualTo(Map.of("a", 1));
        assertThat(ok(get(inRoom, alice.accessToken()))).isEqualTo(Map.of("b", 2));
        expectError(get(global, bob.accessToken()), 403, "M_FORBIDDEN");
        expectError(put(global, Map.of(), bob.accessToken()), 403, "M_FORBIDDEN");
        expectError(put(inRoom, Map.of(), bob.accessToken()), 403, "M_FORBIDDEN");
        expectError(get(inRoom, null), 401, "M_MISSING_TOKEN");
        expectError(put(V3 + "/user/" + alice.userId() + "/account_data/m.fully_read", Map.of(),
                alice.accessToken()), 405, "M_BAD_JSON");
        expectError(put(V3 + "/user/" + alice.userId() + "/rooms/" + room + "/account_data/m.fully_read",
                Map.of(), alice.accessToken()), 405, "M_BAD_JSON");
        expectError(put(V3 + "/user/" + alice.userId() + "/account_data/m.push_rules", Map.of(),
                alice.accessToken()), 405, "M_BAD_JSON");
        expectError(put(V3 + "/user/" + alice.userId() + "/rooms/notaroom/account_data/x", Map.of(),
                alice.accessToken()), 400, "M_INVALID_PARAM");
        expectError(request(HttpMethod.PUT, global, "[1]", alice.accessToken()), 400, "M_BAD_JSON");
        expectError(get(V3 + "/user/" + alice.userId() + "/rooms/" + room + "/account_data/none",
                alice.accessToken()), 404, "M_NOT_FOUND");
    }

    @Test
    void tagsShouldBeAddedValidatedAndRemoved() {
        Session alice = user("adc");
        Session bob = user("add");
        String room = createRoom(alice);
        String tags = V3 + "/user/" + alice.userId() + "/rooms/" + room + "/tags";

        assertThat(ok(get(tags, alice.accessToken()))).isEqualTo(Map.of("tags", Map.of()));
        ok(put(tags + "/m.favourite", Map.of("order", 0.25), alice.accessToken()));
        ok(put(tags + "/u.work", Map.of(), alice.accessToken()));
        expectError(put(tags + "/u.bad", Map.of("order", 1.5), alice.accessToken()), 400, "M_INVALID_PARAM");
        expectError(put(tags + "/u.bad", Map.of("order", "high"), alice.accessToken()), 400, "M_BAD_JSON");
        expectError(put(tags + "/u.other", Map.of(), bob.accessToken()), 403, "M_FORBIDDEN");
        expectError(get(tags, bob.accessToken()), 403, "M_FORBIDDEN");

        assertThat(ok(get(tags, alice.accessToken()))).isEqualTo(Map.of("tags",
                Map.of("m.favourite", Map.of("order", 0.25), "u.work", Map.of())));
        ok(request(HttpMethod.DELETE, tags + "/u.work", null, alice.accessToken()));
        ok(request(HttpMethod.DELETE, tags + "/u.never", null, alice.accessToken()));
        assertThat(ok(get(tags, alice.accessToken()))).isEqualTo(Map.of("tags",
                Map.of("m.favourite", Map.of("order", 0.25))));
        assertThat(ok(get(V3 + "/user/" + alice.userId() + "/rooms/" + room + "/account_data/m.tag",
                alice.accessToken()))).isEqualTo(Map.of("tags", Map.of("m.favourite", Map.of("order", 0.25))));
    }

    @Test
    void syncShouldReportAllInitiallyAndOnlyChangesIncrementally() {
        Session alice = user("ade");
        Session bob = user("adf");
        String room = createRoom(alice);
        String left = createRoom(alice);
        SyncRequest alices = syncRequest(alice, Set.of(room));
        ok(put(V3 + "/user/" + alice.userId() + "/account_data/one", Map.of("v", 1), alice.accessToken()));
        ok(put(V3 + "/user/" + alice.userId() + "/rooms/" + room + "/tags/u.x", Map.of(), alice.accessToken()));
        ok(put(V3 + "/user/" + alice.userId() + "/rooms/" + left + "/account_data/k", Map.of(), alice.accessToken()));
        ok(put(V3 + "/user/" + bob.userId() + "/account_data/one", Map.of("v", 9), bob.accessToken()));
        long mid = source.currentPosition().block();
        ok(put(V3 + "/user/" + alice.userId() + "/account_data/two", Map.of("v", 2), alice.accessToken()));

        SyncResponseBuilder initial = contribute(source, alices, 0);
        assertThat(initial.accountData()).extracting(e -> e.get("type").asString())
                .containsExactly("one", "two", "m.push_rules");
        assertThat(initial.accountData().get(0).get("content").get("v").asInt()).isEqualTo(1);
        assertThat(initial.roomAccountData()).containsOnlyKeys(room);
        assertThat(initial.roomAccountData().get(room).get(0).get("type").asString()).isEqualTo("m.tag");

        SyncResponseBuilder incremental = contribute(source, alices, mid);
        assertThat(incremental.accountData()).extracting(e -> e.get("type").asString()).containsExactly("two");
        assertThat(incremental.roomAccountData()).isEmpty();
        assertThat(source.concerns(StreamPosition.of("account_data", mid, alice.userId()), alices)).isTrue();
        assertThat(source.concerns(StreamPosition.of("account_data", mid, bob.userId()), alices)).isFalse();
    }
}
