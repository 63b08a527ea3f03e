package dev.postpone.cli;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import javax.sql.ConnectionEvent;
import javax.sql.ConnectionEventListener;
import javax.sql.DataSource;
import javax.sql.PooledConnection;
import org.postgresql.ds.PGPooledConnection;

/**
 * The PostgreSQL sessions of one short command, kept until the command ends. A command checks the
 * schema, records its client, runs its query and unrecords the client: with a new session for each
 * step, each paid a backend start and a cold catalog cache (about 15 ms apiece on a 2-core machine).
 * Here a closed connection goes back to be reused by the next step. A connection in use is never
 * shared: a second session opens while the first is out (the migrator holds its lock on one and runs
 * steps on another). {@link #close()} ends every session.
 */
final class CommandConnections implements DataSource, AutoCloseable {

    private final DataSource sessions;
    private final Deque<PooledConnection> idle = new ArrayDeque<>();
    private final List<PooledConnection> open = new ArrayList<>();
    private final Set<PooledConnection> broken = new HashSet<>();
    private final ConnectionEventListener returns = new ConnectionEventListener() {
        @Override
        public void connectionClosed(ConnectionEvent event) {
            giveBack((PooledConnection) event.getSource());
        }

        @Override
        public void connectionErrorOccurred(ConnectionEvent event) {
            markBroken((PooledConnection) event.getSource());
        }
    };

    /** @param sessions opens a new PostgreSQL session per call (no pool of its own) */
    CommandConnections(DataSource sessions) {
        this.sessions = sessions;
    }

    @Override
    public synchronized Connection getConnection() throws SQLException {
        PooledConnection session = idle.pollFirst();
        if (session == null) {
            // autoCommit true: every handle starts as a fresh session's connection would
            session = new PGPooledConnection(sessions.getConnection(), true);
            session.addConnectionEventListener(returns);
            open.add(session);
        }
        return session.getConnection();
    }

    private synchronized void giveBack(PooledConnection session) {
        if (broken.remove(session)) {
            open.remove(session);
            closeQuietly(session);
        } else if (open.contains(session)) {
            idle.addFirst(session);
        }
    }

    private synchronized void markBroken(PooledConnection session) {
        broken.add(session);
        idle.remove(session);
    }

    @Override
    public synchronized void close() {
        for (PooledConnection session : open) closeQuietly(session);
        open.clear();
        idle.clear();
        broken.clear();
    }

    private static void closeQuietly(PooledConnection session) {
        try {
            session.close();
        } catch (SQLException e) {
            // The command's result stands; the server ends the session when the socket closes.
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the command's connections use the configured user");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) return type.cast(this);
        throw new SQLException("not a wrapper of " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }
}
