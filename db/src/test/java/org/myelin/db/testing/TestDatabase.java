package org.myelin.db.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Finds one real PostgreSQL server per test JVM and hands out a fresh database per test class.
 * Order: {@code MYELIN_TEST_DB_URL} (postgresql://user:pass@host:port), else 127.0.0.1:5432 if it accepts a
 * login as {@code postgres}, else an embedded PostgreSQL (zonky), else Testcontainers when a Docker engine runs.
 * Databases made here are dropped when the JVM exits.
 */
public final class TestDatabase {

    /** Connection facts of one fresh database. */
    public record Db(String host, int port, String database, String user, String password) {

        public String jdbcUrl() {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }

        public String r2dbcUrl() {
            return "r2dbc:postgresql://" + host + ":" + port + "/" + database;
        }

        /** The form Myelin's own {@code MYELIN_DB_URL} takes. */
        public String myelinUrl() {
            return "postgresql://" + user + (password.isEmpty() ? "" : ":" + password) + "@" + host + ":" + port
                    + "/" + database;
        }
    }

    /** One PostgreSQL server that accepts CREATE DATABASE. */
    record ServerInfo(String host, int port, String user, String password, String source) {

        String adminJdbcUrl() {
            return "jdbc:postgresql://" + host + ":" + port + "/postgres";
        }
    }

    private static final List<String> CREATED = new CopyOnWriteArrayList<>();
    private static ServerInfo server;
    private static String unavailableReason;
    private static boolean resolved;

    private TestDatabase() {
    }

    /** True when some PostgreSQL server is available for tests; otherwise {@link #unavailableReason()} says why. */
    public static synchronized boolean available() {
        resolve();
        return server != null;
    }

    public static synchronized String unavailableReason() {
        resolve();
        return unavailableReason;
    }

    /** Where the server came from: env, local, embedded or testcontainers. */
    public static synchronized String source() {
        resolve();
        return server == null ? "none" : server.source();
    }

    /** A brand-new empty database, named after the test class; dropped at JVM exit. */
    public static synchronized Db fresh(String label) {
        resolve();
        if (server == null) {
            throw new IllegalStateException("No PostgreSQL for tests: " + unavailableReason);
        }
        String name = "t_" + label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_")
                + "_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
        name = name.length() > 60 ? name.substring(name.length() - 60) : name;
        if (!Character.isLetter(name.charAt(0))) {
            name = "t" + name.substring(1);
        }
        execute("CREATE DATABASE " + name + " ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0");
        CREATED.add(name);
        return new Db(server.host(), server.port(), name, server.user(), server.password());
    }

    private static void resolve() {
        if (resolved) {
            return;
        }
        resolved = true;
        StringBuilder why = new StringBuilder();
        String env = System.getenv("MYELIN_TEST_DB_URL");
        if (env != null && !env.isBlank()) {
            server = fromUrl(env);
            if (!canLogin(server, why)) {
                unavailableReason = "MYELIN_TEST_DB_URL is set but unusable: " + why;
                server = null;
            }
        } else {
            server = tryLocal(why);
            if (server == null) {
                server = tryEmbedded(why);
            }
            if (server == null) {
                server = TestcontainersPostgres.tryStart(why);
            }
            if (server == null) {
                unavailableReason = why.toString();
            }
        }
        if (server != null) {
            Runtime.getRuntime().addShutdownHook(new Thread(TestDatabase::dropAll, "test-db-cleanup"));
        }
    }

    private static ServerInfo tryLocal(StringBuilder why) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 5432), 300);
        } catch (IOException e) {
            why.append("127.0.0.1:5432 does not answer; ");
            return null;
        }
        ServerInfo local = new ServerInfo("127.0.0.1", 5432, "postgres", "", "local");
        return canLogin(local, why) ? local : null;
    }

    private static ServerInfo tryEmbedded(StringBuilder why) {
        if ("false".equalsIgnoreCase(System.getenv("MYELIN_TEST_EMBEDDED_DB"))) {
            why.append("embedded PostgreSQL disabled by MYELIN_TEST_EMBEDDED_DB=false; ");
            return null;
        }
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(pg), "embedded-pg-stop"));
            return new ServerInfo("127.0.0.1", pg.getPort(), "postgres", "", "embedded");
        } catch (IOException | RuntimeException e) {
            why.append("embedded PostgreSQL failed: ").append(e.getMessage()).append("; ");
            return null;
        }
    }

    private static ServerInfo fromUrl(String url) {
        URI uri = URI.create(url.replaceFirst("^jdbc:", ""));
        String user = "postgres";
        String password = "";
        if (uri.getUserInfo() != null) {
            String[] parts = uri.getUserInfo().split(":", 2);
            user = parts[0];
            password = parts.length > 1 ? parts[1] : "";
        }
        return new ServerInfo(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 5432, user, password, "env");
    }

    private static boolean canLogin(ServerInfo s, StringBuilder why) {
        try (Connection c = DriverManager.getConnection(s.adminJdbcUrl(), s.user(), s.password())) {
            return c.isValid(2);
        } catch (SQLException e) {
            why.append(s.host()).append(':').append(s.port()).append(" refused a login as ").append(s.user())
                    .append(": ").append(e.getMessage()).append("; ");
            return false;
        }
    }

    private static void execute(String sql) {
        try (Connection c = DriverManager.getConnection(server.adminJdbcUrl(), server.user(), server.password());
                Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Test database statement failed: " + sql, e);
        }
    }

    private static void dropAll() {
        for (String name : CREATED) {
            try {
                execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (IllegalStateException e) {
                System.err.println("Could not drop test database " + name + ": " + e.getMessage());
            }
        }
    }

    private static void closeQuietly(EmbeddedPostgres pg) {
        try {
            pg.close();
        } catch (IOException e) {
            System.err.println("Embedded PostgreSQL did not stop cleanly: " + e.getMessage());
        }
    }
}
