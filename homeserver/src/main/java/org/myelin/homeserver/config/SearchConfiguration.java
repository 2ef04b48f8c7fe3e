package org.myelin.homeserver.config;

import org.myelin.db.directory.UserDirectoryRepository;
import org.myelin.db.support.Database;
import org.myelin.room.api.ClientSearchApi;
import org.myelin.room.graph.LocalClientSearchApi;
import org.myelin.room.graph.RoomEventService;
import org.myelin.room.graph.RoomStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Server-side search over the room graph and the user directory ({@code myelin.user-directory.*}). */
@Configuration(proxyBeanMethods = false)
public class SearchConfiguration {

    @Bean
    ClientSearchApi clientSearchApi(RoomEventService events, RoomStore store) {
        return new LocalClientSearchApi(events, store);
    }

    @Bean
    UserDirectoryRepository userDirectoryRepository(Database db, MyelinProperties properties) {
        return new UserDirectoryRepository(db, properties.userDirectory().searchAllUsers());
    }
}
