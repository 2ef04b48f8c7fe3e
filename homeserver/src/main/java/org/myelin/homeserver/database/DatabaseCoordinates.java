package org.myelin.homeserver.database;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import org.myelin.homeserver.startup.StartupException;

/**
 * Host, port, database and credentials, parsed from {@code MYELIN_DB_URL}
 * ({@code postgresql://user:pass@host:port/dbname}).
 */
public record DatabaseCoordinates(String host, int port, String database, String user, String password) {

    /** Parses the URL, failing start-up with a message that names the problem (never echoing the password). */
    public static DatabaseCoordinates parse(String url) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw invalid("it is not a URL");
        }
        if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
            throw invalid("the scheme must be postgresql://");
        }
        if (uri.getHost() == null) {
            throw invalid("it names no host");
        }
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        if (path.isEmpty()) {
            throw invalid("it names no database (postgresql://user:pass@host:port/DATABASE)");
        }
        String user = "postgres";
        String password = "";
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : "";
        }
        return new DatabaseCoordinates(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 5432, path, user,
                password);
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** host:port/database, safe to log. */
    public String describe() {
        return host + ":" + port + "/" + database;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static StartupException invalid(String why) {
        return new StartupException("MYELIN_DB_URL is invalid: " + why
                + " (expected postgresql://user:pass@host:port/dbname)");
    }
}
