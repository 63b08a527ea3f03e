package dev.postpone.testing;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A fresh PostgreSQL database for one test class. Injected by {@link PostgresExtension}:
 * declare a {@code TestDatabase} parameter on a test method, constructor or lifecycle method.
 */
public record TestDatabase(String jdbcUrl, String user, String password, String databaseName) {

    /** A non-pooled data source; each {@code getConnection()} opens a new session. */
    public DataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(jdbcUrl);
        if (user != null) ds.setUser(user);
        if (password != null) ds.setPassword(password);
        return ds;
    }

    public Connection connect() throws SQLException {
        return dataSource().getConnection();
    }

    /**
     * The same database, logged in as {@code role} (the test server trusts local connections): the URL
     * carries the role, percent-encoded, as a user would pass it, and no password.
     */
    public TestDatabase as(String role) {
        int query = jdbcUrl.indexOf('?');
        String base = query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
        StringBuilder url = new StringBuilder(base).append("?user=")
                .append(URLEncoder.encode(role, StandardCharsets.UTF_8).replace("+", "%20"));
        if (query >= 0) {
            for (String parameter : jdbcUrl.substring(query + 1).split("&")) {
                if (!parameter.isEmpty() && !parameter.startsWith("user=") && !parameter.startsWith("password=")) {
                    url.append('&').append(parameter);
                }
            }
        }
        return new TestDatabase(url.toString(), role, null, databaseName);
    }
}
