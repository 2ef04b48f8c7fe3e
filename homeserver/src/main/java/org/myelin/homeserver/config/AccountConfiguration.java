package org.myelin.homeserver.config;

import java.time.Clock;
import java.util.Locale;

import org.myelin.clientapi.account.AccountSettings;
import org.myelin.room.graph.GuestRooms;
import org.myelin.clientapi.account.threepid.Mailer;
import org.myelin.db.account.OpenIdTokenRepository;
import org.myelin.db.account.ThreepidRepository;
import org.myelin.db.account.ThreepidSessionRepository;
import org.myelin.db.account.UserRepository;
import org.myelin.db.room.CurrentStateRepository;
import org.myelin.db.support.Database;
import org.myelin.federation.server.auth.FederationRouteTable;
import org.myelin.federation.server.auth.RequestAuthenticator;
import org.myelin.federation.server.openid.OpenIdRoutes;
import org.myelin.homeserver.mail.SmtpMailer;
import org.myelin.homeserver.startup.StartupException;
import org.myelin.http.ApiRoutes;
import org.myelin.room.api.ClientRoomApi;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.ObjectMapper;

/**
 * Accounts beyond passwords (issue #10 §3): guest access, e-mail addresses and the SMTP mailer, OpenID tokens and
 * the server-server userinfo route that checks them.
 */
@Configuration(proxyBeanMethods = false)
public class AccountConfiguration {

    @Bean
    AccountSettings accountSettings(MyelinProperties p) {
        MyelinProperties.Email email = p.email();
        boolean mail = !email.smtpHost().isBlank();
        String tls = email.smtpTls().trim().toLowerCase(Locale.ROOT);
        if (!MyelinProperties.SMTP_TLS_MODES.contains(tls)) {
            throw new StartupException("MYELIN_EMAIL_SMTP_TLS must be one of " + MyelinProperties.SMTP_TLS_MODES
                    + ", not '" + email.smtpTls() + "'");
        }
        if (mail && !email.from().contains("@")) {
            throw new StartupException(
                    "MYELIN_EMAIL_FROM must be an e-mail address when MYELIN_EMAIL_SMTP_HOST is set");
        }
        if (p.registration().requireEmail() && !mail) {
            throw new StartupException(
                    "MYELIN_REGISTRATION_REQUIRE_EMAIL needs an SMTP server (MYELIN_EMAIL_SMTP_HOST)");
        }
        return new AccountSettings(p.guestAccess(), p.auth().openidTokenLifetime(),
                new AccountSettings.Email(mail, p.registration().requireEmail(), email.tokenLifetime()),
                HomeserverConfiguration.rate(p.rateLimits().requestToken()),
                HomeserverConfiguration.rate(p.rateLimits().requestTokenPerAddress()));
    }

    /** SMTP when a host is configured; otherwise nothing may be mailed (the endpoints refuse before asking). */
    @Bean
    Mailer mailer(MyelinProperties p) {
        MyelinProperties.Email email = p.email();
        if (email.smtpHost().isBlank()) {
            return mail -> Mono.error(new IllegalStateException("No SMTP server is configured"));
        }
        MyelinProperties.Email normalised = new MyelinProperties.Email(email.smtpHost().trim(), email.smtpPort(),
                email.smtpTls().trim().toLowerCase(Locale.ROOT), email.smtpUser(), email.smtpPassword(),
                email.from().trim(), email.tokenLifetime(), email.sendTimeout());
        return new SmtpMailer(normalised, Schedulers.boundedElastic());
    }

    @Bean
    ThreepidRepository threepidRepository(Database db) {
        return new ThreepidRepository(db);
    }

    @Bean
    ThreepidSessionRepository threepidSessionRepository(Database db) {
        return new ThreepidSessionRepository(db);
    }

    @Bean
    OpenIdTokenRepository openIdTokenRepository(Database db) {
        return new OpenIdTokenRepository(db);
    }

    @Bean
    GuestRooms guestRooms(Database db, UserRepository users, ClientRoomApi rooms, ObjectMapper mapper) {
        return new GuestRooms(new CurrentStateRepository(db), users, rooms, mapper);
    }

    /** GET /_matrix/federation/v1/openid/userinfo: unsigned, served on the federation listener. */
    @Bean
    ApiRoutes federationOpenIdRoutes(RequestAuthenticator auth, OpenIdTokenRepository tokens, Clock clock) {
        return OpenIdRoutes.addTo(new FederationRouteTable(auth), tokens, clock).build();
    }
}
