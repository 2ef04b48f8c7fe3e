package org.myelin.homeserver.config;

import org.myelin.db.support.Database;
import org.myelin.db.sync.SyncRepository;
import org.myelin.federation.server.api.ClientSyncApi;
import org.myelin.federation.server.room.LocalClientSyncApi;
import org.myelin.federation.server.room.RoomStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import reactor.core.scheduler.Scheduler;

/** The room graph's side of /sync. */
@Configuration(proxyBeanMethods = false)
public class SyncConfiguration {

    @Bean
    SyncRepository syncRepository(Database db) {
        return new SyncRepository(db);
    }

    @Bean
    ClientSyncApi clientSyncApi(RoomStore store, SyncRepository syncs, Scheduler cpuScheduler) {
        return new LocalClientSyncApi(store, syncs, cpuScheduler);
    }
}
