package dev.postpone.schema;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * Whether a connection reaches PostgreSQL through a connection pooler (PgBouncer, pgcat, Odyssey, …)
 * rather than directly. A pooler answers the client's startup with a cancel key of its own, so the
 * backend process id pgjdbc was told differs from the one serving the connection; directly they are
 * the same.
 *
 * <p>What it means: behind transaction pooling, consecutive statements may run in different server
 * sessions, so nothing may rely on session state — {@code LISTEN}, session advisory locks, {@code SET},
 * server-side prepared statements. Session pooling cannot be told apart (the keys differ there too);
 * callers treat every pooler as transaction pooling, the safe reading, and let the user say otherwise.
 */
public final class ConnectionPooler {

    private ConnectionPooler() {
    }

    /** Whether {@code c} goes through a pooler; false for a connection that is not pgjdbc's (nothing to compare). */
    public static boolean detected(Connection c) throws SQLException {
        if (!c.isWrapperFor(PGConnection.class)) return false;
        int announced = c.unwrap(PGConnection.class).getBackendPID();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1) != announced;
        }
    }

    /** Whether connections of {@code dataSource} go through a pooler (opens and closes one). */
    public static boolean detected(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return detected(c);
        }
    }

    /**
     * Refuses work that needs one server session for its whole run (the migrator's lock and settings,
     * verify's scratch schema) on a pooled connection, naming what to connect to instead.
     *
     * @throws MigrationException when {@code c} goes through a pooler
     */
    static void requireSession(Connection c, String work) throws SQLException {
        if (!detected(c)) return;
        throw new MigrationException(work + " needs a database session of its own, but this connection goes through a connection"
                + " pooler (PgBouncer or the like), where each transaction may run in another session: connect to PostgreSQL"
                + " directly (the server's own host and port in --database-url)");
    }
}
