package dev.postpone.worker;

/**
 * Names of the Micrometer meters a worker records. Job meters carry the tags {@code task} and
 * {@code queue}; {@link #JOB_DURATION} also {@code outcome} (succeeded, failed, retried).
 */
public final class WorkerMetrics {

    /** Counter: attempts started. */
    public static final String JOBS_STARTED = "postpone.jobs.started";
    /** Counter: attempts that succeeded. */
    public static final String JOBS_SUCCEEDED = "postpone.jobs.succeeded";
    /** Counter: attempts that failed for good (no retry left, or the policy gave up). */
    public static final String JOBS_FAILED = "postpone.jobs.failed";
    /** Counter: attempts that failed and were scheduled to run again. */
    public static final String JOBS_RETRIED = "postpone.jobs.retried";
    /** Counter: jobs this worker's rescuer took back from workers that stopped heartbeating. */
    public static final String JOBS_RESCUED = "postpone.jobs.rescued";
    /** Timer: how long an attempt ran. */
    public static final String JOB_DURATION = "postpone.job.duration";
    /** Timer: from the job's scheduled time to the start of its attempt. */
    public static final String JOB_QUEUE_WAIT = "postpone.job.queue_wait";
    /** Gauge (tag {@code worker}): jobs running in this worker. */
    public static final String JOBS_IN_FLIGHT = "postpone.jobs.in_flight";
    /** Gauge (tag {@code queue}): jobs waiting ({@code todo}), sampled every 10 s. */
    public static final String QUEUE_DEPTH = "postpone.queue.depth";

    private WorkerMetrics() {
    }
}
