package dev.postpone.testing;

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
}
