package org.myelin.clientapi.account.threepid;

import reactor.core.publisher.Mono;

/**
 * Sends e-mail. Implementations do blocking I/O off the event loops and bound it with a timeout; the Mono errors
 * when the mail could not be handed to the mail server.
 */
@FunctionalInterface
public interface Mailer {

    /** A plain-text mail to one recipient. */
    record OutgoingMail(String to, String subject, String text) {
    }

    Mono<Void> send(OutgoingMail mail);
}
