package org.myelin.homeserver.database;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.myelin.homeserver.startup.StartupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the db module's Flyway migrations over JDBC before anything else touches the database
 * (Flyway has no R2DBC support). On an up-to-date schema this is a no-op.
 */
public final class SchemaMigrator {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);

    private SchemaMigrator() {
    }

    public static void migrate(DatabaseCoordinates db) {
        try {
            MigrateResult result = Flyway.configure()
                    .dataSource(db.jdbcUrl(), db.user(), db.password())
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
            LOG.info("Database schema at version {} ({} migrations applied now)", result.targetSchemaVersion,
                    result.migrationsExecuted);
        } catch (FlywayException e) {
            throw new StartupException("cannot prepare the database at " + db.describe() + ": "
                    + DatabaseServer.rootMessage(e));
        }
    }
}
