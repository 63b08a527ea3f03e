package dev.postpone.worker.internal;

import dev.postpone.internal.JobStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the worker's row alive and, on the housekeeping session, its liveness lock held. A failed
 * heartbeat fences the worker (it takes no new jobs, see {@link WorkerIdentity}) until one succeeds.
 * When the database says the worker is no longer registered (another worker declared it dead and
 * rescued its jobs), it registers again under a new id.
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
        boolean registered;
        try {
            registered = store.heartbeat(c, id, Instant.now());
        } catch (SQLException | RuntimeException e) {
            if (identity.mayTakeJobs()) {
                log.warn("worker.fenced worker_id={} reason=\"heartbeat failed: {}\" consequence=\"takes no new jobs until a"
                        + " heartbeat succeeds\"", id, e.getMessage());
            }
            identity.heartbeatFailed();
            throw e;
        }
        if (!registered) {
            long fresh = identity.register(c);
            store.heartbeat(c, fresh, Instant.now());
            log.warn("worker.reregistered old_worker_id={} worker_id={} reason=\"declared dead; its jobs were rescued\"", id, fresh);
            return;
        }
        if (!identity.mayTakeJobs()) {
            log.info("worker.unfenced worker_id={} after_ms={}", id, identity.sinceProvenAlive().toMillis());
        }
        identity.provedAlive();
    }
}
