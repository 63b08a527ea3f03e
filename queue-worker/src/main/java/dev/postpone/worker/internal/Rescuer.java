package dev.postpone.worker.internal;

import dev.postpone.admin.Job;
import dev.postpone.internal.JobStore;
import dev.postpone.internal.RescuedJob;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands out again the jobs of workers that stopped heartbeating for longer than the stalled threshold
 * (back to todo, or failed when out of attempts). Every worker runs it; the SQL makes that safe.
 */
final class Rescuer implements Chore {

    private static final Logger log = LoggerFactory.getLogger(Rescuer.class);

    private final JobStore store;
    private final Duration stalledThreshold;
    private final Duration interval;
    private final JobMeters meters;

    Rescuer(JobStore store, Duration stalledThreshold, Duration interval, JobMeters meters) {
        this.store = store;
        this.stalledThreshold = stalledThreshold;
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
        List<RescuedJob> rescued = store.rescueStalledJobs(c, stalledThreshold);
        for (RescuedJob r : rescued) {
            // Rescues are rare: one extra lookup each gives the log and the counter the task and queue.
            Optional<Job> job = store.getJob(c, r.id());
            String task = job.map(Job::task).orElse("?");
            String queue = job.map(Job::queue).orElse("?");
            meters.of(task, queue).rescued().increment();
            log.warn("job.rescued job_id={} task={} queue={} from_worker_id={} status={} stalled_threshold={}",
                    r.id(), task, queue, r.fromWorkerId(), r.status(), stalledThreshold);
        }
    }
}
