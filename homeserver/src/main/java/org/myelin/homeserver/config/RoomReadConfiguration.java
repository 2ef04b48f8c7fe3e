package org.myelin.homeserver.config;

import java.time.Clock;

import org.myelin.room.api.ClientRoomReadApi;
import org.myelin.room.graph.LocalClientRoomReadApi;
import org.myelin.room.graph.RoomEventService;
import org.myelin.room.graph.RoomStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Redactions and the reads around single events ({@link ClientRoomReadApi}) over the room graph. */
@Configuration(proxyBeanMethods = false)
public class RoomReadConfiguration {

    @Bean
    ClientRoomReadApi clientRoomReadApi(RoomEventService events, RoomStore store, Clock clock) {
        return new LocalClientRoomReadApi(events, store, clock);
    }
}
