package org.myelin.homeserver.config;

import java.security.SecureRandom;
import java.time.Clock;

import org.myelin.clientapi.http.ClientApiSettings;
import org.myelin.db.account.ProfileRepository;
import org.myelin.db.support.Database;
import org.myelin.federation.protocol.crypto.SigningKey;
import org.myelin.federation.protocol.event.EventSigning;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.room.api.ClientDirectoryApi;
import org.myelin.room.api.ClientRoomApi;
import org.myelin.room.api.ClientSpaceApi;
import org.myelin.room.api.RemoteHierarchies;
import org.myelin.room.api.RemoteAliases;
import org.myelin.room.api.RemoteInvites;
import org.myelin.room.api.RemoteJoins;
import org.myelin.room.api.RemoteLeaves;
import org.myelin.room.api.ClientRoomUpgradeApi;
import org.myelin.room.keys.ServerSigningKey;
import org.myelin.room.graph.LocalClientDirectoryApi;
import org.myelin.room.graph.LocalClientRoomApi;
import org.myelin.room.graph.LocalRoomUpgradeApi;
import org.myelin.room.graph.LocalSpaceApi;
import org.myelin.room.graph.SpaceSummaries;
import org.myelin.room.graph.RoomEventService;
import org.myelin.room.graph.RoomStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import reactor.core.scheduler.Scheduler;

/** The server's signing key and the room graph behind {@link ClientRoomApi} (and spaces, {@link ClientSpaceApi}). */
@Configuration(proxyBeanMethods = false)
public class RoomConfiguration {

    /** Deltas a state group chain may always have before a snapshot (see docs/architecture.md "State storage"). */
    private static final int SNAPSHOT_MIN_CHAIN = 100;
    /** A chain may also grow to (state size / this) deltas, bounding large rooms to a few rows per state event. */
    private static final int SNAPSHOT_SIZE_DIVISOR = 4;

    private final SecureRandom random = new SecureRandom();

    /** Loaded from, or on first start generated into, {@code <data dir>/signing.key}. */
    @Bean
    SigningKey serverSigningKey(MyelinProperties properties) {
        return ServerSigningKey.loadOrCreate(properties.dataDir(), random);
    }

    @Bean
    ServerName serverName(ClientApiSettings settings) {
        return ServerName.parse(settings.serverName());
    }

    @Bean
    EventSigning eventSigning(ServerName serverName, SigningKey key) {
        return new EventSigning(serverName, key, random);
    }

    @Bean
    RoomStore roomStore(Database db) {
        return RoomStore.over(db);
    }

    @Bean
    RoomEventService roomEventService(RoomStore store, EventSigning signing, ServerName serverName, Clock clock,
            Scheduler cpuScheduler) {
        return new RoomEventService(store, signing, serverName, clock, cpuScheduler, SNAPSHOT_MIN_CHAIN,
                SNAPSHOT_SIZE_DIVISOR);
    }

    @Bean
    ClientRoomApi clientRoomApi(RoomEventService events, RoomStore store, ProfileRepository profiles,
            ServerName serverName, RemoteJoins remoteJoins, RemoteInvites remoteInvites, RemoteLeaves remoteLeaves) {
        return new LocalClientRoomApi(events, store, profiles, serverName, random, remoteJoins, remoteInvites,
                remoteLeaves);
    }

    @Bean
    ClientDirectoryApi clientDirectoryApi(RoomEventService events, RoomStore store, ServerName serverName,
            RemoteAliases remoteAliases) {
        return new LocalClientDirectoryApi(events, store, serverName, remoteAliases);
    }

    @Bean
    SpaceSummaries spaceSummaries(RoomStore store, ServerName serverName, Scheduler cpuScheduler) {
        return new SpaceSummaries(store, serverName, cpuScheduler);
    }

    @Bean
    ClientSpaceApi clientSpaceApi(SpaceSummaries summaries, RemoteHierarchies remoteHierarchies, RoomStore store,
            ServerName serverName, Clock clock) {
        return new LocalSpaceApi(summaries, remoteHierarchies, store, serverName, clock, random);
    }

    @Bean
    ClientRoomUpgradeApi clientRoomUpgradeApi(RoomEventService events, RoomStore store, ServerName serverName) {
        return new LocalRoomUpgradeApi(events, store, serverName, random);
    }
}
