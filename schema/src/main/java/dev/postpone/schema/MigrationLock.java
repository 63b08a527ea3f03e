package dev.postpone.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;
import javax.sql.DataSource;

/**
 * The one-migrator-at-a-time lock: a session advisory lock held on a dedicated autocommit connection
 * that never runs DDL. Taken by try-and-retry, never by a blocking wait: a blocked
 * {@code pg_advisory_lock} waiter can stall {@code CREATE INDEX CONCURRENTLY} on the DDL connection.
 */
final class MigrationLock implements AutoCloseable {

    /** First half of the lock key: "post" in ASCII. The second half is a CRC-32 of the schema name. */
    private static final int KEY_NAMESPACE = 0x706f7374;

    private final Connection connection;
    private final int schemaKey;

    private MigrationLock(Connection connection, int schemaKey) {
        this.connection = connection;
        this.schemaKey = schemaKey;
    }

    static int schemaKey(SchemaName schema) {
        CRC32 crc = new CRC32();
        crc.update(schema.value().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return (int) crc.getValue();
    }

    /** Tries until {@code wait} has passed; then fails with a message naming the holder. */
    static MigrationLock acquire(DataSource dataSource, SchemaName schema, Duration wait, String applicationName,
                                 MigrationListener listener) throws SQLException {
        Connection c = dataSource.getConnection();
        try {
            c.setAutoCommit(true);
            // A session lock through a transaction pooler would stay on whichever server session took it.
            ConnectionPooler.requireSession(c, "migrating the schema");
            try (Statement st = c.createStatement()) {
                // The lock lives as long as this session: keep an idle lock connection from being killed.
                st.execute("set idle_session_timeout = 0");
                st.execute("set application_name = '" + applicationName.replace("'", "''") + "'");
            }
            int key = schemaKey(schema);
            long started = System.nanoTime();
            long sleepMillis = 50;
            while (true) {
                try (PreparedStatement ps = c.prepareStatement("select pg_try_advisory_lock(?, ?)")) {
                    ps.setInt(1, KEY_NAMESPACE);
                    ps.setInt(2, key);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (rs.getBoolean(1)) return new MigrationLock(c, key);
                    }
                }
                Duration waited = Duration.ofNanos(System.nanoTime() - started);
                String holder = holder(c, schema).orElse("a session that has since ended");
                if (waited.compareTo(wait) >= 0) {
                    throw new MigrationException("another migrator is running on schema " + schema + " (held by " + holder
                            + "); waited " + waited.toSeconds() + "s. Let it finish, then run migrate again"
                            + " (or wait longer with a larger lock wait).");
                }
                listener.waitingForLock(holder, waited);
                Thread.sleep(sleepMillis + ThreadLocalRandom.current().nextLong(sleepMillis / 2 + 1));
                sleepMillis = Math.min(sleepMillis * 2, 1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            c.close();
            throw new MigrationException("interrupted while waiting for the migration lock", e);
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Who holds the lock of {@code schema}: application name, pid, client address, since when. */
    static Optional<String> holder(Connection c, SchemaName schema) throws SQLException {
        String sql = "select a.pid, a.application_name, a.client_addr::text, a.backend_start from pg_locks l"
                + " join pg_stat_activity a on a.pid = l.pid"
                + " where l.locktype = 'advisory' and l.granted and l.classid = ?::oid and l.objid = ?::oid and l.objsubid = 2"
                // Advisory locks are per database; pg_locks shows every database's.
                + " and l.database = (select oid from pg_database where datname = current_database())";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, Integer.toUnsignedLong(KEY_NAMESPACE));
            ps.setLong(2, Integer.toUnsignedLong(schemaKey(schema)));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                String app = rs.getString(2);
                return Optional.of("'" + (app == null || app.isEmpty() ? "unnamed session" : app) + "' (backend pid "
                        + rs.getInt(1) + (rs.getString(3) == null ? "" : ", from " + rs.getString(3))
                        + ", connected since " + rs.getTimestamp(4).toInstant() + ")");
            }
        }
    }

    /** Fails when the lock was lost (e.g. the lock connection was terminated). */
    void ensureHeld() {
        String sql = "select count(*) from pg_locks where locktype = 'advisory' and granted and pid = pg_backend_pid()"
                + " and classid = ?::oid and objid = ?::oid and objsubid = 2";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setLong(1, Integer.toUnsignedLong(KEY_NAMESPACE));
            ps.setLong(2, Integer.toUnsignedLong(schemaKey));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getInt(1) == 0) throw new MigrationException("the migration lock was lost; no further step was run. Run migrate again.");
            }
        } catch (SQLException e) {
            throw new MigrationException("the migration lock connection failed (" + e.getMessage()
                    + "); no further step was run. Run migrate again.", e);
        }
    }

    @Override
    public void close() {
        try (connection) {
            try (PreparedStatement ps = connection.prepareStatement("select pg_advisory_unlock(?, ?)")) {
                ps.setInt(1, KEY_NAMESPACE);
                ps.setInt(2, schemaKey);
                ps.execute();
            }
        } catch (SQLException ignored) {
            // Closing the session releases a session lock anyway.
        }
    }
}
