package org.myelin.federation.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.myelin.federation.protocol.room.RoomVersion;
import org.myelin.federation.protocol.room.RoomVersions;

import org.myelin.federation.protocol.auth.AuthCases.AuthCase;

/** Runs every JSON case in {@code src/test/resources/auth/} under each room version it names. */
class AuthRulesCasesTest {

    private final AuthRules rules = AuthCases.rules();

    @TestFactory
    Stream<DynamicNode> caseShouldHaveItsExpectedOutcomeWhenCheckedUnderEachOfItsVersions() {
        return AuthCases.load().stream().flatMap(authCase -> authCase.versions().stream()
                .map(number -> DynamicTest.dynamicTest(authCase.name() + " [v" + number + "]",
                        () -> assertOutcome(authCase, RoomVersions.find(String.valueOf(number)).orElseThrow()))));
    }

    private void assertOutcome(AuthCase authCase, RoomVersion version) {
        AuthResult result = rules.check(authCase.event(version), authCase.state(version), version);

        assertThat(result.allowed()).as(result.reason()).isEqualTo(authCase.allowed());
        if (authCase.expectedRule() != null) {
            assertThat(result.rule().id()).as(result.reason()).isEqualTo(authCase.expectedRule());
        }
    }
}
