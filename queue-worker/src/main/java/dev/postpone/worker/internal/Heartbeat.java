package dev.postpone.worker.internal;

import dev.postpone.internal.JobStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the worker's row alive. When the database says the worker is no longer registered (another
 * worker declared it dead and rescued its jobs), it registers again under a new id.
 */
final class Heartbeat implements Chore {

    private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

    private final JobStore store;
    private final WorkerIdentity identity;
    private final Duration interval;

    Heartbeat(JobStore store, WorkerIdentity identity, Duration interval) {
        this.store = store;
        this.identity = identity;
        this.interval = interval;
    }

    @Override
    public String name() {
        return "heartbeat";
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public void run(Connection c) throws SQLException {
        long id = identity.id();
        if (!store.heartbeat(c, id)) {
            long fresh = identity.register(c);
            log.warn("worker.reregistered old_worker_id={} worker_id={} reason=\"declared dead (no heartbeat within the"
                    + " stalled threshold); its jobs were rescued\"", id, fresh);
        }
    }
}
