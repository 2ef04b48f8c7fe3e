package org.myelin.federation.protocol.auth;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import org.myelin.federation.protocol.auth.AuthCases.AuthCase;

/**
 * Keeps the JSON cases complete: every rule of every room version needs an allowed and a not-allowed case. The
 * tables below list, independently of the code, which room versions have which rule (from the rule lists in
 * rooms/v1.md … v12.md).
 */
class AuthRuleCoverageTest {

    /** Rules that can both pass and reject, with the room versions that have them. */
    private static final Map<String, String> ALLOW_AND_REJECT = Map.ofEntries(
            entry("create.prev_events", "1-12"),
            entry("create.room_id", "1-12"),
            entry("create.room_version", "1-12"),
            entry("create.creator", "1-10"),
            entry("create.additional_creators", "12"),
            entry("room_id.create_event", "12"),
            entry("auth_events.listed", "1-12"),
            entry("auth_events.duplicate", "1-12"),
            entry("auth_events.unexpected", "1-12"),
            entry("auth_events.rejected", "1-12"),
            entry("auth_events.create", "1-11"),
            entry("auth_events.room_id", "1-12"),
            entry("federate", "1-12"),
            entry("aliases.state_key", "1-5"),
            entry("aliases.domain", "1-5"),
            entry("member.shape", "1-12"),
            entry("member.join_authorised_signature", "8-12"),
            entry("member.join.creator", "1-12"),
            entry("member.join.sender", "1-12"),
            entry("member.join.banned", "1-12"),
            entry("member.join.invite_rule", "1-12"),
            entry("member.join.restricted", "8-12"),
            entry("member.invite.third_party.banned", "1-12"),
            entry("member.invite.third_party.signed", "1-12"),
            entry("member.invite.third_party.fields", "1-12"),
            entry("member.invite.third_party.mxid", "1-12"),
            entry("member.invite.third_party.token", "1-12"),
            entry("member.invite.third_party.sender", "1-12"),
            entry("member.invite.third_party.signature", "1-12"),
            entry("member.invite.sender_joined", "1-12"),
            entry("member.invite.target", "1-12"),
            entry("member.invite.power", "1-12"),
            entry("member.leave.self", "1-12"),
            entry("member.leave.sender_joined", "1-12"),
            entry("member.leave.unban_power", "1-12"),
            entry("member.leave.kick_power", "1-12"),
            entry("member.ban.sender_joined", "1-12"),
            entry("member.ban.power", "1-12"),
            entry("member.knock.join_rule", "7-12"),
            entry("member.knock.sender", "7-12"),
            entry("member.knock.membership", "7-12"),
            entry("sender_joined", "1-12"),
            entry("third_party_invite", "1-12"),
            entry("required_power", "1-12"),
            entry("state_key_user", "1-12"),
            entry("power_levels.integers", "10-12"),
            entry("power_levels.maps", "10-12"),
            entry("power_levels.users", "1-12"),
            entry("power_levels.creators", "12"),
            entry("power_levels.first", "1-12"),
            entry("power_levels.top_level", "1-12"),
            entry("power_levels.events", "1-12"),
            entry("power_levels.notifications", "6-12"),
            entry("power_levels.users_changed", "1-12"),
            entry("power_levels.users_granted", "1-12"),
            entry("redaction", "1-2"));

    /** Rules that can only allow ("Otherwise, allow" and similar); they need an allowed case. */
    private static final Map<String, String> ALLOW_ONLY = Map.ofEntries(
            entry("create.otherwise", "1-12"),
            entry("aliases.otherwise", "1-5"),
            entry("member.join.public", "1-12"),
            entry("power_levels.otherwise", "1-12"),
            entry("otherwise", "1-12"));

    /** Rules that can only reject; they need a not-allowed case. */
    private static final Map<String, String> REJECT_ONLY = Map.ofEntries(
            entry("member.join.otherwise", "1-12"),
            entry("member.unknown", "1-12"));

    private final List<AuthCase> cases = AuthCases.load();

    @Test
    void everyRuleShouldHaveAnAllowedAndANotAllowedCaseWhenItsVersionHasIt() {
        List<String> missing = new ArrayList<>();
        ALLOW_AND_REJECT.forEach((rule, versions) -> {
            missing.addAll(uncovered(rule, versions, true));
            missing.addAll(uncovered(rule, versions, false));
        });
        ALLOW_ONLY.forEach((rule, versions) -> missing.addAll(uncovered(rule, versions, true)));
        REJECT_ONLY.forEach((rule, versions) -> missing.addAll(uncovered(rule, versions, false)));

        assertThat(missing).isEmpty();
    }

    @Test
    void tablesShouldNameEveryAuthRuleWhenRulesAreAdded() {
        Set<String> tabled = new TreeSet<>(ALLOW_AND_REJECT.keySet());
        tabled.addAll(ALLOW_ONLY.keySet());
        tabled.addAll(REJECT_ONLY.keySet());

        assertThat(tabled).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(AuthRule.values()).map(AuthRule::id).toList());
    }

    @Test
    void everyCaseShouldNameAKnownRuleAndOnlyVersionsThatHaveItWhenLoaded() {
        List<String> misnamed = new ArrayList<>();
        for (AuthCase authCase : cases) {
            Set<Integer> outside = new HashSet<>(authCase.versions());
            outside.removeAll(AuthCases.parseVersions(versionsOf(authCase.rule())));
            if (!outside.isEmpty()) {
                misnamed.add(authCase.name() + " names versions " + outside + " without that rule");
            }
        }

        assertThat(misnamed).isEmpty();
    }

    private static String versionsOf(String rule) {
        String versions = ALLOW_AND_REJECT.getOrDefault(rule, ALLOW_ONLY.getOrDefault(rule, REJECT_ONLY.get(rule)));
        assertThat(versions).as("rule id %s is in no table", rule).isNotNull();
        return versions;
    }

    private List<String> uncovered(String rule, String versions, boolean allowed) {
        Set<Integer> needed = new TreeSet<>(AuthCases.parseVersions(versions));
        cases.stream()
                .filter(authCase -> authCase.allowed() == allowed && authCase.rule().equals(rule))
                .forEach(authCase -> needed.removeAll(authCase.versions()));
        return needed.stream()
                .map(version -> rule + " v" + version + " has no " + (allowed ? "allowed" : "not_allowed") + " case")
                .toList();
    }
}
