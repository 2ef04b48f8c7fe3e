package org.myelin.homeserver.config;

import org.myelin.clientapi.slidingsync.SlidingSyncSettings;
import org.myelin.db.slidingsync.SlidingRoomListRepository;
import org.myelin.db.slidingsync.SlidingSyncConnectionRepository;
import org.myelin.db.support.Database;
import org.myelin.db.sync.SyncRepository;
import org.myelin.room.api.ClientSlidingSyncApi;
import org.myelin.room.api.ClientSyncApi;
import org.myelin.room.graph.LocalClientSlidingSyncApi;
import org.myelin.room.graph.RoomStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import reactor.core.scheduler.Scheduler;

/** Simplified sliding sync (MSC4186): its repositories, the room graph's side, and its settings. */
@Configuration(proxyBeanMethods = false)
public class SlidingSyncConfiguration {

    @Bean
    SlidingRoomListRepository slidingRoomListRepository(Database db) {
        return new SlidingRoomListRepository(db);
    }

    @Bean
    SlidingSyncConnectionRepository slidingSyncConnectionRepository(Database db) {
        return new SlidingSyncConnectionRepository(db);
    }

    @Bean
    ClientSlidingSyncApi clientSlidingSyncApi(RoomStore store, SyncRepository syncs, SlidingRoomListRepository lists,
            ClientSyncApi syncApi, Scheduler cpuScheduler) {
        return new LocalClientSlidingSyncApi(store, syncs, lists, syncApi, cpuScheduler);
    }

    @Bean
    SlidingSyncSettings slidingSyncSettings(MyelinProperties properties) {
        return new SlidingSyncSettings(properties.sync().slidingConnectionExpiry());
    }
}
