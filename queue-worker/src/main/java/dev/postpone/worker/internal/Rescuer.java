package dev.postpone.worker.internal;

import dev.postpone.internal.JobStore;
import dev.postpone.internal.RescuedJob;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands out again the jobs of dead workers (back to todo, or failed when out of attempts): dead by the
 * schema's liveness rule — liveness lock released (the worker's session ended) or no heartbeat within
 * the stalled threshold. Every worker runs it; the SQL makes that safe. The rescue statement returns
 * what the log line and the counter need, so a rescue is counted even if this worker dies right after.
 *
 * <p>After its own housekeeping session was lost and renewed, a worker goes by heartbeats alone for one
 * stalled threshold: a database restart or failover ends every session at once, so every lock is free
 * and says nothing about who died, and the first worker back would otherwise take the jobs of all the
 * others, still running them, before they had reconnected (with one attempt allowed, those jobs would
 * end failed). Workers that really died during the outage are still found, by their heartbeat.
 */
final class Rescuer implements Chore {

    private static final Logger log = LoggerFactory.getLogger(Rescuer.class);
    private static final Duration HEARTBEATS_ONLY = Duration.ofDays(365);

    private final JobStore store;
    private final WorkerIdentity self;
    private final Duration stalledThreshold;
    private final Duration lockGrace;
    private final Duration interval;
    private final JobMeters meters;
    /** Whether this worker's session was renewed within a given window. */
    private final Predicate<Duration> sessionRenewedWithin;
    private boolean heartbeatsOnly;

    Rescuer(JobStore store, WorkerIdentity self, Duration stalledThreshold, Duration lockGrace, Duration interval, JobMeters meters,
            Predicate<Duration> sessionRenewedWithin) {
        this.store = store;
        this.self = self;
        this.stalledThreshold = stalledThreshold;
        this.lockGrace = lockGrace;
        this.interval = interval;
        this.meters = meters;
        this.sessionRenewedWithin = sessionRenewedWithin;
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
        boolean renewed = sessionRenewedWithin.test(stalledThreshold);
        if (renewed != heartbeatsOnly) {
            heartbeatsOnly = renewed;
            if (renewed) {
                log.info("rescuer.heartbeats_only for={} reason=\"this worker's database session was renewed: the others lost theirs"
                        + " too, so a free liveness lock says nothing about who died until they are back\"", stalledThreshold);
            }
        }
        // A grace longer than any stalled threshold: a free lock then declares nobody dead, heartbeats decide.
        Duration grace = renewed ? HEARTBEATS_ONLY : lockGrace;
        List<RescuedJob> rescued = store.rescueStalledJobs(c, self.id(), stalledThreshold, grace, Instant.now());
        for (RescuedJob r : rescued) {
            meters.of(r.task(), r.queue()).rescued().increment();
            log.warn("job.rescued job_id={} task={} queue={} from_worker_id={} status={} attempts={}/{} reason=\"{}\"",
                    r.id(), r.task(), r.queue(), r.fromWorkerId(), r.status(), r.attempts(), r.maxAttempts(), r.reason());
        }
    }
}
