package org.myelin.clientapi.account;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import org.myelin.clientapi.auth.PasswordHasher;
import org.myelin.db.account.UserRepository;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/** Creates local accounts, for client registration and the admin (shared-secret) API alike. */
@Component
public class AccountCreator {

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final LocalUsers localUsers;
    private final Clock clock;

    public AccountCreator(UserRepository users, PasswordHasher hasher, LocalUsers localUsers, Clock clock) {
        this.users = users;
        this.hasher = hasher;
        this.localUsers = localUsers;
        this.clock = clock;
    }

    /** Errors with 400 M_USER_IN_USE when the localpart is taken (by an active or a deactivated account). */
    public Mono<Void> requireAvailable(String localpart) {
        return users.localpartTaken(localpart).flatMap(taken -> taken ? Mono.error(inUse()) : Mono.empty());
    }

    /**
     * Creates the account and emits its user ID. With a null localpart a numeric one is chosen; a null password
     * makes an account that cannot log in with a password.
     */
    public Mono<String> create(String localpart, String password, boolean admin) {
        Mono<String> hash = password == null ? Mono.empty() : hasher.hash(password);
        return hash.map(Optional::of).defaultIfEmpty(Optional.empty())
                .flatMap(h -> createHashed(localpart, h.orElse(null), admin));
    }

    /** As {@link #create}, with the password already hashed (or null). */
    public Mono<String> createHashed(String localpart, String passwordHash, boolean admin) {
        String chosen = localpart != null ? localpart : numericLocalpart();
        String userId = localUsers.userId(chosen);
        return users.create(userId, chosen, passwordHash, admin, clock.millis())
                .flatMap(created -> created ? Mono.just(userId) : Mono.error(inUse()));
    }

    /** Creates a guest account with a numeric localpart (as Synapse names guests) and emits its user ID. */
    public Mono<String> createGuest() {
        String localpart = numericLocalpart();
        String userId = localUsers.userId(localpart);
        return users.createGuest(userId, localpart, clock.millis())
                .flatMap(created -> created ? Mono.just(userId) : Mono.error(inUse()));
    }

    private static String numericLocalpart() {
        return Long.toString(ThreadLocalRandom.current().nextLong(1_000_000_000L, 10_000_000_000L));
    }

    private static MatrixException inUse() {
        return new MatrixException(ErrCode.M_USER_IN_USE, "User ID already taken");
    }
}
