package dev.postpone.worker;

import dev.postpone.admin.JobStatus;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Which finished jobs the worker's cleaner deletes: those in {@code statuses} that finished more than
 * {@code olderThan} ago. The default keeps failed jobs (someone should look at them) and deletes
 * succeeded and cancelled ones after 7 days.
 */
public record Retention(Duration olderThan, Set<JobStatus> statuses) {

    public Retention {
        Objects.requireNonNull(olderThan, "olderThan");
        if (olderThan.isNegative()) throw new IllegalArgumentException("retention must not be negative: " + olderThan);
        statuses = Set.copyOf(statuses);
        for (JobStatus s : statuses) {
            if (s == JobStatus.TODO || s == JobStatus.DOING) {
                throw new IllegalArgumentException("only finished jobs can be deleted, not " + s);
            }
        }
    }

    /** Succeeded and cancelled jobs older than 7 days; failed jobs are kept. */
    public static Retention defaults() {
        return new Retention(Duration.ofDays(7), EnumSet.of(JobStatus.SUCCEEDED, JobStatus.CANCELLED));
    }

    /** Delete nothing: the cleaner does not run. */
    public static Retention keepAll() {
        return new Retention(Duration.ZERO, Set.of());
    }

    /** Delete jobs in {@code statuses} that finished more than {@code olderThan} ago. */
    public static Retention of(Duration olderThan, JobStatus... statuses) {
        return new Retention(olderThan, Set.of(statuses));
    }

    public boolean deletesNothing() {
        return statuses.isEmpty();
    }
}
