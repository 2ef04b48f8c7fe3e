package org.myelin.homeserver.config;

import java.time.Clock;
import java.time.Duration;

import org.myelin.clientapi.push.PushSettings;
import org.myelin.clientapi.push.pushers.PushDeliverer;
import org.myelin.clientapi.push.pushers.PushGatewayClient;
import org.myelin.db.notify.StreamNotifier;
import org.myelin.db.push.NotificationRepository;
import org.myelin.db.push.PushEvaluationRepository;
import org.myelin.db.push.PusherRepository;
import org.myelin.db.support.Database;
import org.myelin.homeserver.startup.StartupException;
import org.myelin.http.outbound.GuardedHttpClient;
import org.myelin.http.outbound.OutboundAddressGuard;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import tools.jackson.databind.ObjectMapper;

/**
 * Push notifications ({@code myelin.push.*}): the repositories of evaluation, notifications and pushers, and the
 * delivery to push gateways through the outbound guard ({@code MYELIN_OUTBOUND_ALLOWED_CIDRS}).
 */
@Configuration(proxyBeanMethods = false)
public class PushConfiguration {

    @Bean
    PushSettings pushSettings(MyelinProperties p) {
        MyelinProperties.Push push = p.push();
        positive("MYELIN_PUSH_GATEWAY_TIMEOUT", push.gatewayTimeout());
        positive("MYELIN_PUSH_RETRY_INITIAL", push.retryInitial());
        positive("MYELIN_PUSH_RETRY_MAX", push.retryMax());
        if (push.retryMax().compareTo(push.retryInitial()) < 0) {
            throw new StartupException("MYELIN_PUSH_RETRY_MAX must not be shorter than MYELIN_PUSH_RETRY_INITIAL");
        }
        return new PushSettings(push.gatewayTimeout(), push.retryInitial(), push.retryMax());
    }

    @Bean
    PushEvaluationRepository pushEvaluationRepository(Database db) {
        return new PushEvaluationRepository(db);
    }

    @Bean
    NotificationRepository notificationRepository(Database db) {
        return new NotificationRepository(db);
    }

    @Bean
    PusherRepository pusherRepository(Database db) {
        return new PusherRepository(db);
    }

    /** Calls push gateways: no redirects, within the gateway time limit. */
    @Bean(destroyMethod = "close")
    GuardedHttpClient pushGatewayHttpClient(PushSettings settings, OutboundAddressGuard guard) {
        return new GuardedHttpClient(new GuardedHttpClient.Settings(settings.gatewayTimeout(), 0, "Myelin (push)"),
                guard);
    }

    @Bean
    PushDeliverer pushDeliverer(PusherRepository pushers, NotificationRepository notifications,
            @Qualifier("pushGatewayHttpClient") GuardedHttpClient http, ObjectMapper mapper, StreamNotifier notifier,
            PushSettings settings, Clock clock) {
        return new PushDeliverer(pushers, notifications, new PushGatewayClient(http, mapper), notifier, settings,
                clock);
    }

    private static void positive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new StartupException(name + " must be a positive duration");
        }
    }
}
