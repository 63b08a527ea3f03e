package dev.postpone.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The PostgreSQL server tests run against, chosen once per JVM: {@code POSTPONE_TEST_DATABASE_URL}
 * (environment or system property), else Testcontainers when a Docker engine answers, else an
 * embedded PostgreSQL. When none can be had the tests fail with a message saying how to provide one.
 */
final class PostgresServer implements AutoCloseable {

    static final String URL_VARIABLE = "POSTPONE_TEST_DATABASE_URL";

    private final String adminUrl;
    private final String user;
    private final String password;
    private final String description;
    private final AutoCloseable owned;

    private PostgresServer(String adminUrl, String user, String password, String description, AutoCloseable owned) {
        this.adminUrl = adminUrl;
        this.user = user;
        this.password = password;
        this.description = description;
        this.owned = owned;
    }

    static PostgresServer start() {
        String url = System.getProperty(URL_VARIABLE, System.getenv(URL_VARIABLE));
        if (url != null && !url.isBlank()) {
            return new PostgresServer(url, null, null, "the database at " + URL_VARIABLE, null);
        }
        StringBuilder tried = new StringBuilder();
        try {
            if (DockerClientFactory.instance().isDockerAvailable()) {
                PostgreSQLContainer container = new PostgreSQLContainer("postgres:17-alpine");
                container.start();
                return new PostgresServer(container.getJdbcUrl(), container.getUsername(), container.getPassword(),
                        "a Testcontainers PostgreSQL", container::stop);
            }
            tried.append("no Docker engine for Testcontainers; ");
        } catch (RuntimeException | LinkageError e) {
            tried.append("Testcontainers failed (").append(e.getMessage()).append("); ");
        }
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
            return new PostgresServer(pg.getJdbcUrl("postgres", "postgres"), "postgres", null,
                    "an embedded PostgreSQL", pg);
        } catch (Exception | LinkageError e) {
            tried.append("embedded PostgreSQL failed (").append(e.getMessage()).append(")");
        }
        throw new IllegalStateException("No PostgreSQL for the tests: " + tried + ". Set " + URL_VARIABLE
                + " to a database the tests may create databases on, e.g. "
                + URL_VARIABLE + "=jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres, or start a Docker engine.");
    }

    /** Creates a new, empty database named after the test class. */
    TestDatabase createDatabase(String testName) {
        String name = ("pt_" + testName.replaceAll("[^A-Za-z0-9]", "_") + "_"
                + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
        if (name.length() > 63) name = name.substring(name.length() - 63);
        if (!Character.isLetter(name.charAt(0))) name = "p" + name.substring(1);
        execute("create database " + name);
        return new TestDatabase(withDatabase(adminUrl, name), user, password, name);
    }

    void dropDatabase(TestDatabase db) {
        execute("drop database if exists " + db.databaseName() + " with (force)");
    }

    private void execute(String sql) {
        try (Connection c = adminConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("could not run '" + sql + "' on " + description + " (" + redact(adminUrl) + "): "
                    + e.getMessage(), e);
        }
    }

    private Connection adminConnection() throws SQLException {
        Properties p = new Properties();
        if (user != null) p.setProperty("user", user);
        if (password != null) p.setProperty("password", password);
        return DriverManager.getConnection(adminUrl, p);
    }

    /** Replaces the database name in a {@code jdbc:postgresql://host:port/db?params} URL. */
    static String withDatabase(String jdbcUrl, String database) {
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + jdbcUrl);
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        String authority = uri.getRawAuthority() == null ? "" : "//" + uri.getRawAuthority();
        return "jdbc:" + uri.getScheme() + ":" + authority + "/" + database + query;
    }

    private static String redact(String url) {
        return url.replaceAll("password=[^&]*", "password=***");
    }

    String description() {
        return description;
    }

    @Override
    public void close() throws Exception {
        if (owned != null) owned.close();
    }
}
