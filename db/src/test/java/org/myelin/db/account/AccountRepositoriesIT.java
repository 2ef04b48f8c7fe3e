package org.myelin.db.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.myelin.db.support.Database;
import org.myelin.db.testing.MigratedDatabase;
import org.myelin.db.testing.RequiresPostgres;

@RequiresPostgres
class AccountRepositoriesIT {

    private static UserRepository users;
    private static DeviceRepository devices;
    private static TokenRepository tokens;
    private static RegistrationTokenRepository regTokens;
    private static RegistrationNonceRepository nonces;
    private static UiaSessionRepository uia;
    private static ProfileRepository profiles;
    private static ThreepidRepository threepids;
    private static ThreepidSessionRepository threepidSessions;
    private static OpenIdTokenRepository openIds;

    @BeforeAll
    static void migrate() {
        Database db = MigratedDatabase.create("AccountRepositoriesIT");
        users = new UserRepository(db);
        devices = new DeviceRepository(db);
        tokens = new TokenRepository(db);
        regTokens = new RegistrationTokenRepository(db);
        nonces = new RegistrationNonceRepository(db);
        uia = new UiaSessionRepository(db);
        profiles = new ProfileRepository(db);
        threepids = new ThreepidRepository(db);
        threepidSessions = new ThreepidSessionRepository(db);
        openIds = new OpenIdTokenRepository(db);
    }

    @Test
    void createShouldRefuseATakenLocalpartAndKeepTheFirstUser() {
        assertThat(users.create("@alice:test", "alice", "$argon2id$x", false, 1L).block()).isTrue();
        assertThat(users.create("@alice:test", "alice", "$argon2id$other", true, 2L).block()).isFalse();
        UserRow row = users.find("@alice:test").block();
        assertThat(row.passwordHash()).isEqualTo("$argon2id$x");
        assertThat(row.admin()).isFalse();
        assertThat(users.localpartTaken("alice").block()).isTrue();
        assertThat(users.localpartTaken("nobody").block()).isFalse();
        assertThat(profiles.find("@alice:test").block().displayname()).isEqualTo("alice");
    }

    @Test
    void deletingADeviceShouldRevokeItsTokensOnly() {
        users.create("@bob:test", "bob", null, false, 1L).block();
        devices.upsert("@bob:test", "D1", "phone", "127.0.0.1", 10L).block();
        devices.upsert("@bob:test", "D2", null, null, 10L).block();
        tokens.insertAccess(new byte[] {1}, "@bob:test", "D1", null, null, 10L).block();
        tokens.insertAccess(new byte[] {2}, "@bob:test", "D2", null, null, 10L).block();

        devices.delete("@bob:test", List.of("D1")).block();

        assertThat(tokens.findAccess(new byte[] {1}).block()).isNull();
        assertThat(tokens.findAccess(new byte[] {2}).block().deviceId()).isEqualTo("D2");
        assertThat(devices.list("@bob:test").block()).extracting(DeviceRow::deviceId).containsExactly("D2");
    }

    @Test
    void rotatingARefreshTokenShouldRevokeTheAccessTokenIssuedWithIt() {
        users.create("@carol:test", "carol", null, false, 1L).block();
        long first = tokens.insertRefresh(new byte[] {10}, "@carol:test", "D", null, 1L).block();
        tokens.insertAccess(new byte[] {11}, "@carol:test", "D", first, 500L, 1L).block();
        long second = tokens.insertRefresh(new byte[] {12}, "@carol:test", "D", null, 2L).block();

        tokens.inTransaction(tokens.rotate(first, second)).block();

        assertThat(tokens.findAccess(new byte[] {11}).block()).isNull();
        assertThat(tokens.inTransaction(tokens.findRefreshForUpdate(new byte[] {10})).block().nextTokenId())
                .isEqualTo(second);
    }

    @Test
    void registrationTokenShouldStopAtItsUseLimitAndExpiry() {
        assertThat(regTokens.create("once", 1, null).block()).isTrue();
        assertThat(regTokens.create("once", 5, null).block()).isFalse();
        assertThat(regTokens.reserve("once", 1L).block()).isTrue();
        assertThat(regTokens.reserve("once", 1L).block()).isFalse();
        regTokens.complete("once").block();
        assertThat(regTokens.find("once").block().completed()).isEqualTo(1);

        regTokens.create("old", null, 100L).block();
        assertThat(regTokens.isValid("old", 99L).block()).isTrue();
        assertThat(regTokens.isValid("old", 100L).block()).isFalse();
    }

    @Test
    void nonceShouldWorkExactlyOnceAndNotAfterExpiry() {
        nonces.create("n1", 1_000L).block();
        assertThat(nonces.consume("n1", 10L).block()).isTrue();
        assertThat(nonces.consume("n1", 10L).block()).isFalse();
        nonces.create("n2", 1_000L).block();
        assertThat(nonces.consume("n2", 1_000L).block()).isFalse();
    }

    @Test
    void uiaSessionShouldVanishOnceExpired() {
        uia.create(new UiaSessionRepository.UiaSessionRow("s1", "register", null, "[]", "{}", 100L, "POST",
                "/_matrix/client/v3/register", "{}"), 0L).block();
        uia.update("s1", "[\"m.login.dummy\"]", "{\"k\":1}").block();
        assertThat(uia.find("s1", 50L).block().completedJson()).contains("m.login.dummy");
        assertThat(uia.find("s1", 100L).block()).isNull();
    }

    @Test
    void aGuestShouldBeUpgradedOnceAndKeepItsId() {
        assertThat(users.createGuest("@1234:test", "1234", 1L).block()).isTrue();
        assertThat(users.find("@1234:test").block().guest()).isTrue();
        assertThat(profiles.find("@1234:test").block().displayname()).isNull();
        assertThat(users.guestsAmong(List.of("@1234:test", "@nobody:test")).block()).containsExactly("@1234:test");
        assertThat(users.upgradeGuest("@1234:test", "1234", "$argon2id$h").block()).isTrue();
        assertThat(users.upgradeGuest("@1234:test", "1234", "$argon2id$again").block()).isFalse();
        UserRow upgraded = users.find("@1234:test").block();
        assertThat(upgraded.guest()).isFalse();
        assertThat(upgraded.passwordHash()).isEqualTo("$argon2id$h");
        assertThat(profiles.find("@1234:test").block().displayname()).isEqualTo("1234");
    }

    @Test
    void anAddressShouldBelongToOneAccountOnly() {
        users.create("@dan:test", "dan", null, false, 1L).block();
        users.create("@erin:test", "erin", null, false, 1L).block();
        var dans = new ThreepidRepository.Threepid("email", "d@example.org", "@dan:test", 5L, 6L);
        assertThat(threepids.add(dans).block()).isTrue();
        assertThat(threepids.add(new ThreepidRepository.Threepid("email", "d@example.org", "@erin:test", 7L, 7L))
                .block()).isFalse();
        assertThat(threepids.find("email", "d@example.org").block().userId()).isEqualTo("@dan:test");
        assertThat(threepids.delete("@erin:test", "email", "d@example.org").block()).isFalse();
        assertThat(threepids.delete("@dan:test", "email", "d@example.org").block()).isTrue();
        assertThat(threepids.list("@dan:test").block()).isEmpty();
    }

    @Test
    void aValidationSessionShouldTakeOnlyItsOwnTokenBeforeItExpires() {
        byte[] hash = {1, 2, 3};
        threepidSessions.create(new ThreepidSessionRepository.ThreepidSession("sid1", "secret", "email",
                "v@example.org", "add", hash, 1, null, null, 100L), 0L).block();
        assertThat(threepidSessions.validate("sid1", "secret", new byte[] {9}, 10L).block()).isFalse();
        assertThat(threepidSessions.validate("sid1", "other", hash, 10L).block()).isFalse();
        assertThat(threepidSessions.validate("sid1", "secret", hash, 100L).block()).isFalse();
        assertThat(threepidSessions.validate("sid1", "secret", hash, 10L).block()).isTrue();
        assertThat(threepidSessions.find("sid1", "secret", 10L).block().validatedTs()).isEqualTo(10L);
        assertThat(threepidSessions.find("secret", "email", "v@example.org", "add", 10L).block().sid())
                .isEqualTo("sid1");
        assertThat(threepidSessions.find("sid1", "secret", 100L).block()).isNull();
    }

    @Test
    void anOpenIdTokenShouldResolveUntilItExpires() {
        users.create("@frank:test", "frank", null, false, 1L).block();
        openIds.insert(new byte[] {4, 5}, "@frank:test", 100L, 0L).block();
        assertThat(openIds.findUser(new byte[] {4, 5}, 99L).block()).isEqualTo("@frank:test");
        assertThat(openIds.findUser(new byte[] {4, 5}, 100L).block()).isNull();
        assertThat(openIds.findUser(new byte[] {4, 6}, 1L).block()).isNull();
    }
}
