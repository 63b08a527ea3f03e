package dev.postpone.worker.internal;

import dev.postpone.internal.FetchedJob;
import dev.postpone.internal.Outcome;
import dev.postpone.worker.WorkerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The per-task, per-queue job meters, created once and cached: no meter lookup per job on the hot path. */
final class JobMeters {

    private record Key(String task, String queue) {
    }

    /** Every meter of one task on one queue. */
    record TaskMeters(Counter started, Counter succeeded, Counter failed, Counter retried, Counter rescued,
                      Timer succeededTime, Timer failedTime, Timer retriedTime, Timer queueWait) {

        void finished(Outcome.Kind kind, long nanos) {
            switch (kind) {
                case SUCCEEDED -> {
                    succeeded.increment();
                    succeededTime.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
                }
                case RETRY -> {
                    retried.increment();
                    retriedTime.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
                }
                case FAILED, CANCELLED -> {
                    failed.increment();
                    failedTime.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
                }
                case HAND_BACK -> {
                    // Not run here: neither a success nor a failure of the task.
                }
            }
        }
    }

    private final MeterRegistry registry;
    private final ConcurrentMap<Key, TaskMeters> meters = new ConcurrentHashMap<>();

    JobMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    TaskMeters of(String task, String queue) {
        return meters.computeIfAbsent(new Key(task, queue), this::create);
    }

    void started(FetchedJob job, TaskMeters m) {
        m.started().increment();
        if (job.scheduledAt() != null && job.startedAt() != null) {
            Duration wait = Duration.between(job.scheduledAt(), job.startedAt());
            m.queueWait().record(wait.isNegative() ? Duration.ZERO : wait);
        }
    }

    private TaskMeters create(Key k) {
        return new TaskMeters(
                counter(WorkerMetrics.JOBS_STARTED, "Job attempts started", k),
                counter(WorkerMetrics.JOBS_SUCCEEDED, "Job attempts that succeeded", k),
                counter(WorkerMetrics.JOBS_FAILED, "Job attempts that failed for good", k),
                counter(WorkerMetrics.JOBS_RETRIED, "Job attempts that failed and will run again", k),
                counter(WorkerMetrics.JOBS_RESCUED, "Jobs taken back from workers that stopped heartbeating", k),
                duration(k, "succeeded"), duration(k, "failed"), duration(k, "retried"),
                Timer.builder(WorkerMetrics.JOB_QUEUE_WAIT).description("From a job's scheduled time to the start of its attempt")
                        .tag("task", k.task()).tag("queue", k.queue()).register(registry));
    }

    private Counter counter(String name, String description, Key k) {
        return Counter.builder(name).description(description).tag("task", k.task()).tag("queue", k.queue()).register(registry);
    }

    private Timer duration(Key k, String outcome) {
        return Timer.builder(WorkerMetrics.JOB_DURATION).description("How long a job attempt ran")
                .tag("task", k.task()).tag("queue", k.queue()).tag("outcome", outcome).register(registry);
    }
}
