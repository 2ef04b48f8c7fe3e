package org.myelin.homeserver.config;

import org.myelin.db.account.DeviceRepository;
import org.myelin.db.account.ProfileRepository;
import org.myelin.db.account.RegistrationNonceRepository;
import org.myelin.db.account.RegistrationTokenRepository;
import org.myelin.db.account.TokenRepository;
import org.myelin.db.account.UiaSessionRepository;
import org.myelin.db.account.UserRepository;
import org.myelin.db.ephemeral.AccountDataRepository;
import org.myelin.db.ephemeral.MembershipQueries;
import org.myelin.db.ephemeral.PresenceRepository;
import org.myelin.db.ephemeral.ReceiptRepository;
import org.myelin.db.ephemeral.StreamCounterRepository;
import org.myelin.db.ephemeral.ToDeviceRepository;
import org.myelin.db.ephemeral.TypingRepository;
import org.myelin.db.push.PushRuleRepository;
import org.myelin.db.support.Database;
import org.myelin.db.sync.FilterRepository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The db module's repositories as beans (the db module itself knows nothing of Spring's container). */
@Configuration(proxyBeanMethods = false)
public class RepositoryConfiguration {

    @Bean
    UserRepository userRepository(Database db) {
        return new UserRepository(db);
    }

    @Bean
    ProfileRepository profileRepository(Database db) {
        return new ProfileRepository(db);
    }

    @Bean
    DeviceRepository deviceRepository(Database db) {
        return new DeviceRepository(db);
    }

    @Bean
    TokenRepository tokenRepository(Database db) {
        return new TokenRepository(db);
    }

    @Bean
    UiaSessionRepository uiaSessionRepository(Database db) {
        return new UiaSessionRepository(db);
    }

    @Bean
    RegistrationTokenRepository registrationTokenRepository(Database db) {
        return new RegistrationTokenRepository(db);
    }

    @Bean
    RegistrationNonceRepository registrationNonceRepository(Database db) {
        return new RegistrationNonceRepository(db);
    }

    @Bean
    FilterRepository filterRepository(Database db) {
        return new FilterRepository(db);
    }

    @Bean
    StreamCounterRepository streamCounterRepository(Database db) {
        return new StreamCounterRepository(db);
    }

    @Bean
    TypingRepository typingRepository(Database db) {
        return new TypingRepository(db);
    }

    @Bean
    ReceiptRepository receiptRepository(Database db) {
        return new ReceiptRepository(db);
    }

    @Bean
    AccountDataRepository accountDataRepository(Database db) {
        return new AccountDataRepository(db);
    }

    @Bean
    PresenceRepository presenceRepository(Database db) {
        return new PresenceRepository(db);
    }

    @Bean
    ToDeviceRepository toDeviceRepository(Database db) {
        return new ToDeviceRepository(db);
    }

    @Bean
    MembershipQueries ephemeralMembershipQueries(Database db) {
        return new MembershipQueries(db);
    }

    @Bean
    PushRuleRepository pushRuleRepository(Database db) {
        return new PushRuleRepository(db);
    }
}
