package org.myelin.homeserver.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.myelin.db.support.Database;
import org.myelin.db.testing.RequiresPostgres;
import org.myelin.federation.protocol.crypto.VerifyKey;
import org.myelin.federation.protocol.id.KeyId;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.server.keys.KeyRing;
import org.myelin.federation.server.keys.ServerKeys;

/**
 * The key ring of a real server fetching another real server's keys over TLS: {@link KeyRing#prefetch} stores the
 * keys of the servers it is given (and gets past one that cannot be reached), and a key once read is answered from
 * memory until the server's keys are fetched anew.
 */
@RequiresPostgres
class KeyRingIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static FederatedServers servers;

    @BeforeAll
    static void start() throws Exception {
        servers = FederatedServers.start(List.of("localhost", "localhost"), List.of());
    }

    @AfterAll
    static void stop() {
        if (servers != null) {
            servers.close();
        }
    }

    private static Database dbOfA() {
        return servers.get(0).bean(Database.class);
    }

    private static long storedKeysOf(ServerName server) {
        return dbOfA().one(dbOfA().sql("SELECT count(*) AS n FROM server_keys WHERE server_name = :s")
                .bind("s", server.value()), r -> r.longValue("n")).block(WAIT);
    }

    @Test
    void prefetchStoresTheKeysOfEveryReachableServerAndFindThenAnswersFromMemory() {
        KeyRing ring = servers.get(0).bean(KeyRing.class);
        ServerKeys keysOfB = servers.get(1).bean(ServerKeys.class);
        ServerName b = keysOfB.serverName();
        KeyId keyId = KeyId.parse(keysOfB.document().path("verify_keys").propertyNames().iterator().next());
        ServerName unreachable = ServerName.parse("localhost:1");

        ring.prefetch(List.of(unreachable, b, servers.get(0).bean(ServerKeys.class).serverName())).block(WAIT);
        assertThat(storedKeysOf(b)).as("B's keys stored by the prefetch").isPositive();

        long now = System.currentTimeMillis();
        Optional<VerifyKey> found = ring.find(b, keyId, now, true).block(WAIT);
        assertThat(found).isPresent();

        dbOfA().update(dbOfA().sql("DELETE FROM server_keys WHERE server_name = :s").bind("s", b.value()))
                .block(WAIT);
        assertThat(ring.find(b, keyId, now, true).block(WAIT)).as("kept in memory").isEqualTo(found);
        assertThat(ring.find(b, keyId, now + Duration.ofDays(30).toMillis(), true).block(WAIT))
                .as("a kept key past its validity is looked up again, and B's keys do not reach that far")
                .isEmpty();
    }
}
