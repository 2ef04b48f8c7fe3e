package org.myelin.homeserver.mail;

import java.time.Duration;
import java.util.Properties;

import org.myelin.clientapi.account.threepid.Mailer;
import org.myelin.homeserver.config.MyelinProperties;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSenderImpl;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Sends mail through the configured SMTP server with Jakarta Mail (Spring's {@link JavaMailSenderImpl}). Sending
 * blocks, so it runs on the given scheduler for blocking work, never on an event loop; the connection, read and
 * write timeouts and the Mono's own timeout are all the configured send timeout.
 */
public final class SmtpMailer implements Mailer {

    private final JavaMailSenderImpl sender;
    private final String from;
    private final Duration timeout;
    private final Scheduler blocking;

    public SmtpMailer(MyelinProperties.Email email, Scheduler blocking) {
        this.from = email.from();
        this.timeout = email.sendTimeout();
        this.blocking = blocking;
        this.sender = new JavaMailSenderImpl();
        boolean implicitTls = email.smtpTls().equals("tls");
        String protocol = implicitTls ? "smtps" : "smtp";
        sender.setProtocol(protocol);
        sender.setHost(email.smtpHost());
        sender.setPort(email.smtpPort());
        sender.setDefaultEncoding("UTF-8");
        if (!email.smtpUser().isEmpty()) {
            sender.setUsername(email.smtpUser());
            sender.setPassword(email.smtpPassword());
        }
        Properties props = new Properties();
        String prefix = "mail." + protocol + ".";
        String millis = Long.toString(timeout.toMillis());
        props.setProperty(prefix + "connectiontimeout", millis);
        props.setProperty(prefix + "timeout", millis);
        props.setProperty(prefix + "writetimeout", millis);
        props.setProperty(prefix + "auth", Boolean.toString(!email.smtpUser().isEmpty()));
        if (email.smtpTls().equals("starttls")) {
            props.setProperty(prefix + "starttls.enable", "true");
            props.setProperty(prefix + "starttls.required", "true");
        }
        if (!email.smtpTls().equals("none")) {
            props.setProperty(prefix + "ssl.checkserveridentity", "true");
        }
        sender.setJavaMailProperties(props);
    }

    @Override
    public Mono<Void> send(OutgoingMail mail) {
        SimpleMailMessage message = new SimpleMailMessage();
        message.setFrom(from);
        message.setTo(mail.to());
        message.setSubject(mail.subject());
        message.setText(mail.text());
        return Mono.fromRunnable(() -> sender.send(message)).subscribeOn(blocking).timeout(timeout).then();
    }
}
