package org.myelin.db.testing;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/** The laptop fallback: a PostgreSQL container, used only when a Docker engine answers. */
final class TestcontainersPostgres {

    private TestcontainersPostgres() {
    }

    @SuppressWarnings("resource") // stopped by Testcontainers' own reaper at JVM exit
    static TestDatabase.ServerInfo tryStart(StringBuilder why) {
        try {
            if (!DockerClientFactory.instance().isDockerAvailable()) {
                why.append("no Docker engine for Testcontainers; ");
                return null;
            }
            PostgreSQLContainer pg = new PostgreSQLContainer("postgres:15-alpine");
            pg.start();
            return new TestDatabase.ServerInfo(pg.getHost(), pg.getFirstMappedPort(), pg.getUsername(),
                    pg.getPassword(), "testcontainers");
        } catch (RuntimeException e) {
            why.append("Testcontainers failed: ").append(e.getMessage()).append("; ");
            return null;
        }
    }
}
