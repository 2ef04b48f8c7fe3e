package org.myelin.room.graph;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.flywaydb.core.Flyway;
import org.myelin.db.account.ProfileRepository;
import org.myelin.db.support.Database;
import org.myelin.db.testing.TestDatabase;
import org.myelin.federation.protocol.crypto.SigningKey;
import org.myelin.federation.protocol.event.EventSigning;
import org.myelin.federation.protocol.id.KeyId;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.room.RoomVersion;
import org.myelin.room.api.CreateRoomRequest;
import org.myelin.room.api.RemoteInvites;
import org.myelin.room.api.RemoteJoins;
import org.myelin.room.api.RemoteLeaves;
import org.myelin.room.api.RoomPreset;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import reactor.core.scheduler.Schedulers;

/** Builds room services over a migrated test database; several "nodes" may share one database. */
final class TestRooms {

    static final ServerName SERVER = ServerName.parse("test.local");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final SigningKey KEY = SigningKey.generate(KeyId.ed25519("test"), RANDOM);

    private TestRooms() {
    }

    /** A fresh database with the real migrations. */
    static TestDatabase.Db migrated(String label) {
        TestDatabase.Db db = TestDatabase.fresh(label);
        Flyway.configure().dataSource(db.jdbcUrl(), db.user(), db.password()).locations("classpath:db/migration")
                .load().migrate();
        return db;
    }

    /** A new connection factory and {@link Database} over {@code db}: one "node". */
    static Database connect(TestDatabase.Db db) {
        PostgresqlConnectionFactory factory = new PostgresqlConnectionFactory(PostgresqlConnectionConfiguration
                .builder().host(db.host()).port(db.port()).database(db.database()).username(db.user())
                .password(db.password()).build());
        return new Database(DatabaseClient.create(factory),
                TransactionalOperator.create(new R2dbcTransactionManager(factory)), Duration.ofSeconds(30),
                Duration.ofSeconds(30));
    }

    static RoomEventService service(Database db, int snapshotMin, int snapshotDiv) {
        return service(db, Clock.systemUTC(), snapshotMin, snapshotDiv);
    }

    static RoomEventService service(Database db, Clock clock, int snapshotMin, int snapshotDiv) {
        return new RoomEventService(RoomStore.over(db), new EventSigning(SERVER, KEY, RANDOM), SERVER, clock,
                Schedulers.parallel(), snapshotMin, snapshotDiv);
    }

    static LocalClientRoomApi api(Database db, RoomEventService service) {
        return new LocalClientRoomApi(service, RoomStore.over(db), new ProfileRepository(db), SERVER, RANDOM,
                RemoteJoins.NONE, RemoteInvites.NONE, RemoteLeaves.NONE);
    }

    static CreateRoomRequest request(RoomVersion version) {
        return new CreateRoomRequest(version, RoomPreset.PRIVATE_CHAT, false, null, null, null, List.of(), List.of(),
                null, null, false);
    }
}
