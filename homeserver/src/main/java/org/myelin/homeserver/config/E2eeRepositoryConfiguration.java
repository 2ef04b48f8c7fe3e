package org.myelin.homeserver.config;

import org.myelin.db.e2ee.CrossSigningRepository;
import org.myelin.db.e2ee.DehydratedDeviceRepository;
import org.myelin.db.e2ee.DeviceKeyRepository;
import org.myelin.db.e2ee.DeviceListRepository;
import org.myelin.db.e2ee.KeyBackupRepository;
import org.myelin.db.e2ee.OneTimeKeyRepository;
import org.myelin.db.support.Database;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The db module's end-to-end encryption repositories as beans. */
@Configuration(proxyBeanMethods = false)
public class E2eeRepositoryConfiguration {

    @Bean
    DeviceKeyRepository deviceKeyRepository(Database db) {
        return new DeviceKeyRepository(db);
    }

    @Bean
    OneTimeKeyRepository oneTimeKeyRepository(Database db) {
        return new OneTimeKeyRepository(db);
    }

    @Bean
    CrossSigningRepository crossSigningRepository(Database db) {
        return new CrossSigningRepository(db);
    }

    @Bean
    DeviceListRepository deviceListRepository(Database db) {
        return new DeviceListRepository(db);
    }

    @Bean
    DehydratedDeviceRepository dehydratedDeviceRepository(Database db) {
        return new DehydratedDeviceRepository(db);
    }

    @Bean
    KeyBackupRepository keyBackupRepository(Database db) {
        return new KeyBackupRepository(db);
    }
}
