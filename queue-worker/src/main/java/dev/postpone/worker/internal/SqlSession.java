package dev.postpone.worker.internal;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * One long-lived autocommit connection owned by one component (producer, completer, housekeeping),
 * so the hot path never waits for a pool. After any SQL failure the connection is closed and the
 * next call opens a fresh one: that is how components recover from a database restart.
 * Used by one thread at a time.
 */
final class SqlSession implements AutoCloseable {

    /** Work done on the session's connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final DataSource dataSource;
    private Connection connection;

    SqlSession(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    <T> T call(Work<T> work) throws SQLException {
        try {
            if (connection == null) {
                connection = dataSource.getConnection();
                if (!connection.getAutoCommit()) connection.setAutoCommit(true);
            }
            return work.run(connection);
        } catch (SQLException | RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public void close() {
        if (connection == null) return;
        try {
            connection.close();
        } catch (SQLException ignored) {
            // the connection is already broken; nothing more to release
        } finally {
            connection = null;
        }
    }
}
