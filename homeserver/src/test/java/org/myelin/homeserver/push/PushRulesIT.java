package org.myelin.homeserver.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.myelin.clientapi.auth.Requester;
import org.myelin.clientapi.ephemeral.accountdata.AccountDataSource;
import org.myelin.clientapi.sync.SyncRequest;
import org.myelin.clientapi.sync.SyncResponseBuilder;
import org.myelin.federation.protocol.filter.Filter;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import tools.jackson.databind.JsonNode;

/** The push rules API end to end, and the ruleset as {@code m.push_rules} account data in /sync. */
class PushRulesIT extends HomeserverIT {

    private static final String RULES = "/_matrix/client/v3/pushrules/";
    private static final String GLOBAL = RULES + "global/";

    @Autowired
    private AccountDataSource accountData;

    private Session user(String prefix) {
        return accounts.register(unique(prefix), "pw-" + prefix + "-1");
    }

    private WebTestClient.ResponseSpec request(HttpMethod method, String uri, Object body, String token) {
        WebTestClient.RequestBodySpec spec = http.method(method).uri(uri).header("Authorization", "Bearer " + token);
        return body == null ? spec.exchange() : spec.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec put(String uri, Object body, String token) {
        return request(HttpMethod.PUT, uri, body, token);
    }

    @SuppressWarnings("unchecked")
    private static List<String> ids(Map<String, Object> ruleset, String kind) {
        return ((List<Map<String, Object>>) ruleset.get(kind)).stream().map(r -> (String) r.get("rule_id")).toList();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> global(Session s) {
        return (Map<String, Object>) ok(get(RULES, s.accessToken())).get("global");
    }

    @Test
    void rulesetShouldHoldTheServerDefaultsForTheUser() {
        Session alice = user("pra");
        Map<String, Object> global = global(alice);

        assertThat(global).containsOnlyKeys("override", "content", "room", "sender", "underride");
        assertThat(ids(global, "override")).startsWith(".m.rule.master", ".m.rule.suppress_notices",
                ".m.rule.invite_for_me").contains(".m.rule.is_user_mention", ".m.rule.suppress_edits").hasSize(12);
        assertThat(ids(global, "underride")).containsExactly(".m.rule.call", ".m.rule.encrypted_room_one_to_one",
                ".m.rule.room_one_to_one", ".m.rule.message", ".m.rule.encrypted");
        assertThat(ok(get(GLOBAL + "content/.m.rule.contains_user_name", alice.accessToken())))
                .containsEntry("pattern", alice.userId().substring(1, alice.userId().indexOf(':')))
                .containsEntry("default", true).containsEntry("enabled", true);
        assertThat(ok(get(GLOBAL + "override/.m.rule.invite_for_me", alice.accessToken())).get("conditions"))
                .asString().contains(alice.userId());
        assertThat(ok(get(GLOBAL, alice.accessToken()))).isEqualTo(global);
        assertThat(ok(get(GLOBAL.substring(0, GLOBAL.length() - 1), alice.accessToken()))).isEqualTo(global);
        assertThat(ok(get(RULES.substring(0, RULES.length() - 1), alice.accessToken()))).containsKey("global");
        for (String kind : List.of("override", "underride", "content")) {
            List<Object> rules = http.get().uri(GLOBAL + kind + "/").header("Authorization", alice.bearer())
                    .exchange().expectStatus().isOk().expectBody(List.class).returnResult().getResponseBody();
            assertThat(rules).as(kind).isEqualTo(global.get(kind));
        }
        expectError(get(GLOBAL + "other/", alice.accessToken()), 400, "M_UNRECOGNIZED");
        expectError(get(RULES, null), 401, "M_MISSING_TOKEN");
    }

    @Test
    void userRulesShouldBeAddedPlacedReadAndDeleted() {
        Session alice = user("prb");
        String token = alice.accessToken();
        ok(put(GLOBAL + "content/cake", Map.of("pattern", "cake", "actions", List.of("notify")), token));
        ok(put(GLOBAL + "content/lie?before=cake", Map.of("pattern", "cake*lie", "actions", List.of()), token));
        ok(put(GLOBAL + "content/pie?after=cake", Map.of("pattern", "pie", "actions", List.of()), token));
        ok(put(GLOBAL + "override/beer", Map.of("conditions",
                List.of(Map.of("kind", "room_member_count", "is", "<=10")), "actions", List.of("notify")), token));
        ok(put(GLOBAL + "room/!abc:test.local", Map.of("actions", List.of("dont_notify")), token));

        Map<String, Object> global = global(alice);
        assertThat(ids(global, "content")).containsExactly("lie", "cake", "pie", ".m.rule.contains_user_name");
        assertThat(ids(global, "override")).startsWith(".m.rule.master", "beer", ".m.rule.suppress_notices");
        assertThat(ok(get(GLOBAL + "room/!abc:test.local", token))).isEqualTo(Map.of("rule_id", "!abc:test.local",
                "default", false, "enabled", true, "actions", List.of()));
        assertThat(ok(get(GLOBAL + "content/cake", token))).isEqualTo(Map.of("rule_id", "cake", "default", false,
                "enabled", true, "pattern", "cake", "actions", List.of("notify")));

        ok(put(GLOBAL + "content/cake", Map.of("pattern", "cakes", "actions", List.of()), token));
        assertThat(ids(global(alice), "content")).startsWith("lie", "cake", "pie");
        assertThat(ok(get(GLOBAL + "content/cake", token))).containsEntry("pattern", "cakes");

        ok(request(HttpMethod.DELETE, GLOBAL + "content/lie", null, token));
        assertThat(ids(global(alice), "content")).containsExactly("cake", "pie", ".m.rule.contains_user_name");
        expectError(get(GLOBAL + "content/lie", token), 404, "M_NOT_FOUND");
        expectError(request(HttpMethod.DELETE, GLOBAL + "content/lie", null, token), 404, "M_NOT_FOUND");
        assertThat(ids(global(user("prc")), "content")).containsExactly(".m.rule.contains_user_name");
    }

    @Test
    void enabledAndActionsShouldChangeUserAndDefaultRules() {
        Session alice = user("prd");
        String token = alice.accessToken();
        ok(put(GLOBAL + "sender/@spam:test.local", Map.of("actions", List.of("notify")), token));

        ok(put(GLOBAL + "override/.m.rule.master/enabled", Map.of("enabled", true), token));
        ok(put(GLOBAL + "sender/@spam:test.local/enabled", Map.of("enabled", false), token));
        ok(put(GLOBAL + "underride/.m.rule.message/actions", Map.of("actions", List.of()), token));
        ok(put(GLOBAL + "sender/@spam:test.local/actions",
                Map.of("actions", List.of(Map.of("set_tweak", "sound", "value", "x"))), token));

        assertThat(ok(get(GLOBAL + "override/.m.rule.master/enabled", token))).isEqualTo(Map.of("enabled", true));
        assertThat(ok(get(GLOBAL + "override/.m.rule.master/actions", token))).isEqualTo(Map.of("actions", List.of()));
        assertThat(ok(get(GLOBAL + "underride/.m.rule.message", token))).containsEntry("enabled", true)
                .containsEntry("default", true).containsEntry("actions", List.of());
        assertThat(ok(get(GLOBAL + "sender/@spam:test.local", token))).isEqualTo(Map.of("rule_id",
                "@spam:test.local", "default", false, "enabled", false,
                "actions", List.of(Map.of("set_tweak", "sound", "value", "x"))));
        ok(put(GLOBAL + "underride/.m.rule.message/enabled", Map.of("enabled", false), token));
        assertThat(ok(get(GLOBAL + "underride/.m.rule.message", token))).containsEntry("enabled", false)
                .containsEntry("actions", List.of());
        assertThat(ok(get(GLOBAL + "underride/.m.rule.message", user("pre").accessToken())))
                .containsEntry("enabled", true).containsEntry("actions", List.of("notify"));
    }

    @Test
    void badRequestsShouldFailWithTheirStatusAndErrcode() {
        Session alice = user("prf");
        String token = alice.accessToken();
        Map<String, Object> actions = Map.of("actions", List.of("notify"));
        ok(put(GLOBAL + "override/mine", actions, token));

        expectError(get(RULES + "device/", token), 400, "M_UNRECOGNIZED");
        expectError(put(RULES + "device/override/x", actions, token), 400, "M_UNRECOGNIZED");
        expectError(get(GLOBAL + "other/x", token), 400, "M_UNRECOGNIZED");
        expectError(put(GLOBAL + "other/x", actions, token), 400, "M_UNRECOGNIZED");
        expectError(get(GLOBAL + "override/nope", token), 404, "M_NOT_FOUND");
        expectError(get(GLOBAL + "content/mine", token), 404, "M_NOT_FOUND");
        expectError(get(GLOBAL + "override/nope/enabled", token), 404, "M_NOT_FOUND");
        expectError(get(GLOBAL + "override/nope/actions", token), 404, "M_NOT_FOUND");
        expectError(put(GLOBAL + "override/nope/enabled", Map.of("enabled", true), token), 404, "M_NOT_FOUND");
        expectError(put(GLOBAL + "override/nope/actions", actions, token), 404, "M_NOT_FOUND");
        expectError(put(GLOBAL + "override/.m.rule.mine", actions, token), 400, "M_INVALID_PARAM");
        expectError(put(GLOBAL + "override/.m.rule.master", actions, token), 400, "M_INVALID_PARAM");
        expectError(http.put().uri(URI.create("http://127.0.0.1:" + port + GLOBAL + "override/a%5Cb"))
                .header("Authorization", "Bearer " + token).contentType(MediaType.APPLICATION_JSON).bodyValue(actions)
                .exchange(), 400, "M_INVALID_PARAM");
        expectError(request(HttpMethod.DELETE, GLOBAL + "override/.m.rule.master", null, token), 400,
                "M_INVALID_PARAM");
        expectError(put(GLOBAL + "override/x?before=nope", actions, token), 400, "M_UNKNOWN");
        expectError(put(GLOBAL + "override/x?after=.m.rule.master", actions, token), 400, "M_UNKNOWN");
        expectError(put(GLOBAL + "override/x", Map.of(), token), 400, "M_MISSING_PARAM");
        expectError(put(GLOBAL + "override/x", Map.of("actions", "notify"), token), 400, "M_BAD_JSON");
        expectError(put(GLOBAL + "override/x", Map.of("actions", List.of("explode")), token), 400,
                "M_INVALID_PARAM");
        expectError(put(GLOBAL + "content/x", actions, token), 400, "M_MISSING_PARAM");
        expectError(put(GLOBAL + "override/x", "[1]", token), 400, "M_BAD_JSON");
        expectError(put(GLOBAL + "override/mine/enabled", Map.of("enabled", "yes"), token), 400, "M_BAD_JSON");
        expectError(put(GLOBAL + "override/mine/enabled", Map.of(), token), 400, "M_MISSING_PARAM");
        expectError(put(GLOBAL + "override/mine/actions", Map.of(), token), 400, "M_MISSING_PARAM");
        expectError(get(GLOBAL + "override/x", null), 401, "M_MISSING_TOKEN");
        assertThat(ids(global(alice), "override")).doesNotContain("x").contains("mine");
    }

    @Test
    void syncShouldReportTheRulesetInitiallyAndAfterEachChange() {
        Session alice = user("prg");
        Session bob = user("prh");
        SyncRequest alices = new SyncRequest(new Requester(alice.userId(), alice.deviceId(), false, 0),
                Filter.DEFAULT, Set.of(), false, 0, 0);

        JsonNode initial = pushRules(contribute(alices, 0));
        assertThat(initial.get("global").get("override").get(0).get("rule_id").asString()).isEqualTo(".m.rule.master");
        long before = accountData.currentPosition().block();
        assertThat(contribute(alices, before).accountData()).isEmpty();

        ok(put(GLOBAL + "override/.m.rule.master/enabled", Map.of("enabled", true), alice.accessToken()));
        ok(put(GLOBAL + "room/!r:test.local", Map.of("actions", List.of()), bob.accessToken()));

        JsonNode changed = pushRules(contribute(alices, before));
        assertThat(changed.get("global").get("override").get(0).get("enabled").booleanValue()).isTrue();
        long after = accountData.currentPosition().block();
        ok(put(GLOBAL + "room/!r:test.local", Map.of("actions", List.of()), bob.accessToken()));
        assertThat(contribute(alices, after).accountData()).isEmpty();
        assertThat(ok(get("/_matrix/client/v3/user/" + alice.userId() + "/account_data/m.push_rules",
                alice.accessToken()))).containsKey("global");
    }

    @Test
    @SuppressWarnings("unchecked")
    void syncEndpointShouldCarryPushRulesInGlobalAccountData() {
        Session alice = user("pri");
        Map<String, Object> initial = ok(get("/_matrix/client/v3/sync?timeout=0", alice.accessToken()));
        assertThat(pushRulesEvents(initial)).hasSize(1);

        ok(put(GLOBAL + "override/.m.rule.master/enabled", Map.of("enabled", true), alice.accessToken()));
        Map<String, Object> next = ok(get("/_matrix/client/v3/sync?timeout=0&since=" + initial.get("next_batch"),
                alice.accessToken()));
        List<Map<String, Object>> events = pushRulesEvents(next);
        assertThat(events).hasSize(1);
        Map<String, Object> global = (Map<String, Object>) ((Map<String, Object>) events.get(0).get("content"))
                .get("global");
        assertThat(((List<Map<String, Object>>) global.get("override")).get(0))
                .containsEntry("rule_id", ".m.rule.master").containsEntry("enabled", true);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> pushRulesEvents(Map<String, Object> sync) {
        List<Map<String, Object>> events = (List<Map<String, Object>>) ((Map<String, Object>) sync
                .get("account_data")).get("events");
        return events.stream().filter(e -> "m.push_rules".equals(e.get("type"))).toList();
    }

    private SyncResponseBuilder contribute(SyncRequest request, long since) {
        SyncResponseBuilder out = new SyncResponseBuilder();
        accountData.contribute(request, since, accountData.currentPosition().block(), out).block();
        return out;
    }

    private static JsonNode pushRules(SyncResponseBuilder out) {
        assertThat(out.accountData()).extracting(e -> e.get("type").asString()).containsExactly("m.push_rules");
        return out.accountData().get(0).get("content");
    }
}
