package dev.postpone.worker.internal;

import dev.postpone.PostponeException;
import dev.postpone.schema.PoolerAwareDataSource;
import dev.postpone.worker.ListenerKind;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Where each connection of a worker comes from, decided once at start. The producer and the completer
 * only call functions, each statement on its own, so a transaction-pooling PgBouncer serves them. Two
 * things need a server session that outlives a statement: the liveness lock that heartbeats hold on the
 * housekeeping connection, and LISTEN. Behind a pooler they come from the session data source when the
 * application gives one (PostgreSQL directly, or session pooling); without it the worker polls and goes by
 * heartbeats alone, since a session lock taken through a transaction pooler stays on whichever server
 * session took it, held for a dead worker or missing for a live one.
 *
 * @param hotPath      fetch, complete and unregister
 * @param housekeeping heartbeat (and its liveness lock), rescuer, periodic tasks, cleaner, schema checks
 * @param listen       the pgjdbc listener's connection; null when the worker does not listen that way
 * @param livenessLock whether heartbeats hold the liveness lock (see heartbeat_worker_v2)
 * @param pooled       whether the application's data source goes through a pooler
 * @param pollOnly     whether LISTEN was turned off because of the pooler
 */
record WorkerConnections(DataSource hotPath, DataSource housekeeping, DataSource listen, boolean livenessLock,
                         boolean pooled, boolean pollOnly) {

    /** Decides from the settings and what the application's data source goes through (asked once, on its first connection). */
    static WorkerConnections of(WorkerSettings s, PoolerAwareDataSource dataSource) {
        boolean pooled;
        try {
            pooled = dataSource.behindPooler();
        } catch (SQLException e) {
            throw new PostponeException("cannot connect to start worker '" + s.name() + "': " + e.getMessage(), e);
        }
        DataSource session = s.sessionDataSource() != null ? PoolerAwareDataSource.wrap(s.sessionDataSource())
                : pooled ? null : dataSource;
        boolean pgjdbcListener = s.listen() && s.listenerKind() == ListenerKind.PGJDBC;
        return new WorkerConnections(dataSource, session != null ? session : dataSource,
                pgjdbcListener ? session : null, session != null, pooled, pgjdbcListener && session == null);
    }
}
