package org.myelin.clientapi.auth;

import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/** Runs Argon2id on the CPU scheduler, never on a Netty event loop. */
@Component
public class PasswordHasher {

    /** A well-formed hash of a random password: verifying against it costs what a real check costs. */
    private static final String DUMMY = Argon2id.hash(SecretTokens.opaqueId());

    private final Scheduler cpu;

    public PasswordHasher(Scheduler cpuScheduler) {
        this.cpu = cpuScheduler;
    }

    public Mono<String> hash(String password) {
        return Mono.fromCallable(() -> Argon2id.hash(password)).subscribeOn(cpu);
    }

    /**
     * Checks a password; with a null hash (unknown user, no password) it still spends the time of a real check
     * and answers false, so response times do not reveal which accounts exist.
     */
    public Mono<Boolean> verify(String password, String phc) {
        return Mono.fromCallable(() -> {
            if (phc == null) {
                Argon2id.verify(password, DUMMY);
                return false;
            }
            return Argon2id.verify(password, phc);
        }).subscribeOn(cpu);
    }
}
