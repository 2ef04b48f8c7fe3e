package org.myelin.clientapi.account.threepid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;

import tools.jackson.databind.json.JsonMapper;

class ThreepidParamsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void emailShouldBeTrimmedAndLowerCased() {
        assertThat(ThreepidParams.email("  Alice.Smith+tag@Example.ORG ")).isEqualTo("alice.smith+tag@example.org");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "alice", "@example.org", "alice@", "alice@example", "a@b@example.org",
        "ali ce@example.org", "alice@exa mple.org", "alice\t@example.org", "alice@example."})
    void emailShouldBeInvalidParamWhenItIsNoAddress(String raw) {
        assertThat(invalid(() -> ThreepidParams.email(raw))).isEqualTo(ErrCode.M_INVALID_PARAM);
    }

    @Test
    void emailShouldBeInvalidParamWhenLongerThanAnSmtpPath() {
        String local = "a".repeat(64);
        String domain = "b".repeat(200) + ".org";
        assertThat(invalid(() -> ThreepidParams.email(local + "@" + domain))).isEqualTo(ErrCode.M_INVALID_PARAM);
        assertThat(invalid(() -> ThreepidParams.email("a".repeat(65) + "@example.org")))
                .isEqualTo(ErrCode.M_INVALID_PARAM);
    }

    @Test
    void secretsShouldFollowTheSpecsGrammar() {
        assertThat(ThreepidParams.secret("aB0.=_-", "client_secret")).isEqualTo("aB0.=_-");
        assertThat(invalid(() -> ThreepidParams.secret("", "sid"))).isEqualTo(ErrCode.M_INVALID_PARAM);
        assertThat(invalid(() -> ThreepidParams.secret("a b", "sid"))).isEqualTo(ErrCode.M_INVALID_PARAM);
        assertThat(invalid(() -> ThreepidParams.secret("x".repeat(256), "sid"))).isEqualTo(ErrCode.M_INVALID_PARAM);
    }

    @Test
    void nextLinkShouldBeAnAbsoluteHttpUrlOrAbsent() {
        assertThat(ThreepidParams.nextLink(null)).isNull();
        assertThat(ThreepidParams.nextLink("https://app.example.org/done?x=1")).isEqualTo(
                "https://app.example.org/done?x=1");
        for (String bad : new String[] {"javascript:alert(1)", "/relative", "ftp://example.org/", "http:///x", "::"}) {
            assertThat(invalid(() -> ThreepidParams.nextLink(bad))).as(bad).isEqualTo(ErrCode.M_INVALID_PARAM);
        }
    }

    @Test
    void sendAttemptShouldBeARequiredInteger() {
        assertThat(ThreepidParams.sendAttempt(JSON.readTree("{\"send_attempt\": 3}"))).isEqualTo(3);
        assertThat(invalid(() -> ThreepidParams.sendAttempt(JSON.readTree("{}")))).isEqualTo(ErrCode.M_MISSING_PARAM);
        assertThat(invalid(() -> ThreepidParams.sendAttempt(JSON.readTree("{\"send_attempt\": \"1\"}"))))
                .isEqualTo(ErrCode.M_BAD_JSON);
        assertThat(invalid(() -> ThreepidParams.sendAttempt(JSON.readTree("{\"send_attempt\": 1.5}"))))
                .isEqualTo(ErrCode.M_BAD_JSON);
    }

    @Test
    void mediumShouldBeEmailOrMsisdn() {
        assertThat(ThreepidParams.medium(JSON.readTree("{\"medium\": \"msisdn\"}"))).isEqualTo("msisdn");
        assertThat(invalid(() -> ThreepidParams.medium(JSON.readTree("{\"medium\": \"fax\"}"))))
                .isEqualTo(ErrCode.M_INVALID_PARAM);
        assertThat(invalid(() -> ThreepidParams.medium(JSON.readTree("{}")))).isEqualTo(ErrCode.M_MISSING_PARAM);
    }

    private static ErrCode invalid(Runnable call) {
        MatrixException e = catchThrowableOfType(MatrixException.class, call::run);
        assertThat(e).as("a MatrixException").isNotNull();
        return e.errCode();
    }
}
