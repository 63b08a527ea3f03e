package dev.postpone.schema;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * The application's data source as Postpone uses it: on its first connection it finds out whether
 * connections go through a pooler ({@link ConnectionPooler}); if they do, every connection it hands out
 * has pgjdbc's server-side prepared statements turned off ({@code prepareThreshold=0}). A named
 * statement prepared in one server session does not exist in the next one a transaction pooler picks
 * ("prepared statement S_1 does not exist"), or worse, names another client's statement there.
 * Directly connected, nothing changes.
 */
public final class PoolerAwareDataSource implements DataSource {

    private final DataSource delegate;
    private volatile Boolean pooled;

    private PoolerAwareDataSource(DataSource delegate) {
        this.delegate = delegate;
    }

    /** {@code dataSource} wrapped, or itself when it already is one. */
    public static PoolerAwareDataSource wrap(DataSource dataSource) {
        return dataSource instanceof PoolerAwareDataSource aware ? aware : new PoolerAwareDataSource(dataSource);
    }

    /** Whether connections go through a pooler; the first call opens a connection to find out. */
    public boolean behindPooler() throws SQLException {
        if (pooled == null) {
            try (Connection c = getConnection()) {
                // getConnection decided it
            }
        }
        return pooled;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return prepared(delegate.getConnection());
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        return prepared(delegate.getConnection(user, password));
    }

    private Connection prepared(Connection c) throws SQLException {
        try {
            if (pooled == null) pooled = ConnectionPooler.detected(c);
            if (pooled) c.unwrap(PGConnection.class).setPrepareThreshold(0);
            return c;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : type.isInstance(delegate) ? type.cast(delegate) : delegate.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || type.isInstance(delegate) || delegate.isWrapperFor(type);
    }
}
