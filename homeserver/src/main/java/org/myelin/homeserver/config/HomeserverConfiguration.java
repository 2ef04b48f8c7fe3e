package org.myelin.homeserver.config;

import java.time.Clock;
import java.util.Locale;
import java.util.regex.Pattern;

import org.myelin.clientapi.http.ClientApiSettings;
import org.myelin.clientapi.http.ClientApiSettings.Rate;
import org.myelin.clientapi.http.ClientApiSettings.RegistrationMode;
import org.myelin.homeserver.startup.StartupException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/** Turns {@link MyelinProperties} into the settings each module takes, and provides the shared clock and schedulers. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MyelinProperties.class)
public class HomeserverConfiguration {

    /** DNS name, IPv4 or [IPv6], with an optional port (appendices "Server Name"). */
    private static final Pattern SERVER_NAME =
            Pattern.compile("([A-Za-z0-9.-]{1,255}|\\d{1,3}(\\.\\d{1,3}){3}|\\[[0-9A-Fa-f:.]{2,45}])(:\\d{1,5})?");

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** CPU-heavy work (password hashing, signature checks, state resolution) runs here, never on event loops. */
    @Bean(destroyMethod = "dispose")
    Scheduler cpuScheduler() {
        return Schedulers.newParallel("myelin-cpu", Math.max(2, Runtime.getRuntime().availableProcessors()), true);
    }

    @Bean
    ClientApiSettings clientApiSettings(MyelinProperties p, @Value("${server.port:8008}") int clientPort) {
        String serverName = p.serverName() == null ? "" : p.serverName().trim();
        if (!SERVER_NAME.matcher(serverName).matches()) {
            throw new StartupException("MYELIN_SERVER_NAME '" + serverName
                    + "' is not a valid server name (a DNS name or IP address, optionally with :port)");
        }
        String mode = p.registration().mode().trim().toLowerCase(Locale.ROOT);
        if (!MyelinProperties.REGISTRATION_MODES.contains(mode)) {
            throw new StartupException("MYELIN_REGISTRATION must be one of " + MyelinProperties.REGISTRATION_MODES
                    + ", not '" + p.registration().mode() + "'");
        }
        String baseUrl = p.publicBaseUrl().isBlank()
                ? "http://" + serverName.replaceFirst(":\\d+$", "") + ":" + clientPort
                : p.publicBaseUrl().replaceFirst("/+$", "");
        return new ClientApiSettings(serverName, baseUrl, RegistrationMode.valueOf(mode.toUpperCase(Locale.ROOT)),
                p.registration().sharedSecret(), p.auth().accessTokenLifetime(), p.auth().uiaSessionLifetime(),
                rate(p.rateLimits().login()), rate(p.rateLimits().register()), rate(p.rateLimits().turn()));
    }

    /** A configured token bucket, or a start-up error for a rate that cannot be. */
    static Rate rate(MyelinProperties.Bucket bucket) {
        if (bucket.perSecond() <= 0 || bucket.burst() < 1) {
            throw new StartupException("rate limits need per-second > 0 and burst >= 1");
        }
        return new Rate(bucket.perSecond(), bucket.burst());
    }
}
