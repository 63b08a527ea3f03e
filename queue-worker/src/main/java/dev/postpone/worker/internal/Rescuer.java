package dev.postpone.worker.internal;

import dev.postpone.internal.JobStore;
import dev.postpone.internal.RescuedJob;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands out again the jobs of dead workers (back to todo, or failed when out of attempts): dead by the
 * schema's liveness rule — liveness lock released (the worker's session ended) or no heartbeat within
 * the stalled threshold. Every worker runs it; the SQL makes that safe. The rescue statement returns
 * what the log line and the counter need, so a rescue is counted even if this worker dies right after.
 */
final class Rescuer implements Chore {

    private static final Logger log = LoggerFactory.getLogger(Rescuer.class);

    private final JobStore store;
    private final WorkerIdentity self;
    private final Duration stalledThreshold;
    private final Duration lockGrace;
    private final Duration interval;
    private final JobMeters meters;

    Rescuer(JobStore store, WorkerIdentity self, Duration stalledThreshold, Duration lockGrace, Duration interval, JobMeters meters) {
        this.store = store;
        this.self = self;
        this.stalledThreshold = stalledThreshold;
        this.lockGrace = lockGrace;
        this.interval = interval;
        this.meters = meters;
    }

    @Override
    public String name() {
        return "rescuer";
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public void run(Connection c) throws SQLException {
        List<RescuedJob> rescued = store.rescueStalledJobs(c, self.id(), stalledThreshold, lockGrace, Instant.now());
        for (RescuedJob r : rescued) {
            meters.of(r.task(), r.queue()).rescued().increment();
            log.warn("job.rescued job_id={} task={} queue={} from_worker_id={} status={} attempts={}/{} reason=\"{}\"",
                    r.id(), r.task(), r.queue(), r.fromWorkerId(), r.status(), r.attempts(), r.maxAttempts(), r.reason());
        }
    }
}
