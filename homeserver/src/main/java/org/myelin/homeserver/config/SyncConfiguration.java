package org.myelin.homeserver.config;

import org.myelin.clientapi.sync.FairGate;
import org.myelin.clientapi.sync.LongPoll;
import org.myelin.clientapi.sync.SyncPolls;
import org.myelin.db.support.Database;
import org.myelin.db.sync.SyncRepository;
import org.myelin.room.api.ClientSyncApi;
import org.myelin.room.graph.LocalClientSyncApi;
import org.myelin.room.graph.RoomStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.scheduler.Scheduler;

/** The room graph's side of /sync, and the limits /sync runs under, with their gauges. */
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

    @Bean
    SyncPolls syncPolls(MyelinProperties properties, MeterRegistry metrics) {
        SyncPolls polls = new SyncPolls(properties.sync().maxPollsPerToken());
        Gauge.builder("myelin.sync.polls.in.flight", polls, SyncPolls::inFlight)
                .description("Distinct /sync long-polls in flight (identical ones share one)").register(metrics);
        return polls;
    }

    @Bean
    FairGate syncComputations(MyelinProperties properties, MeterRegistry metrics) {
        FairGate gate = new FairGate(properties.sync().maxConcurrentComputations());
        Gauge.builder("myelin.sync.computations.running", gate, FairGate::running)
                .description("/sync computations running now").register(metrics);
        Gauge.builder("myelin.sync.computations.waiting", gate, FairGate::waiting)
                .description("/sync computations waiting for their turn").register(metrics);
        return gate;
    }

    @Bean
    Gauge parkedSyncPolls(LongPoll longPoll, MeterRegistry metrics) {
        return Gauge.builder("myelin.sync.polls.parked", longPoll, LongPoll::parked)
                .description("/sync long-polls waiting for a wake-up").register(metrics);
    }
}
