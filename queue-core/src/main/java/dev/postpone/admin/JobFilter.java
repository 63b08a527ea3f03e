package dev.postpone.admin;

import java.time.Instant;

/**
 * Which jobs {@link dev.postpone.Postpone#jobs()} lists: every non-null field must match. Results come
 * newest first; pass the last id seen as {@code beforeId} for the next page.
 */
public record JobFilter(
        String queue, String task, JobStatus status, String lock, Instant createdFrom, Instant createdTo,
        Long beforeId, int limit) {

    public static final int DEFAULT_LIMIT = 100;

    public JobFilter {
        if (limit < 1 || limit > 10_000) throw new IllegalArgumentException("limit must be between 1 and 10000: " + limit);
    }

    public static JobFilter all() {
        return new JobFilter(null, null, null, null, null, null, null, DEFAULT_LIMIT);
    }

    public JobFilter queue(String q) {
        return new JobFilter(q, task, status, lock, createdFrom, createdTo, beforeId, limit);
    }

    public JobFilter task(String t) {
        return new JobFilter(queue, t, status, lock, createdFrom, createdTo, beforeId, limit);
    }

    public JobFilter status(JobStatus s) {
        return new JobFilter(queue, task, s, lock, createdFrom, createdTo, beforeId, limit);
    }

    public JobFilter lock(String l) {
        return new JobFilter(queue, task, status, l, createdFrom, createdTo, beforeId, limit);
    }

    /** Created at or after {@code from} and before {@code to} (either may be null). */
    public JobFilter createdBetween(Instant from, Instant to) {
        return new JobFilter(queue, task, status, lock, from, to, beforeId, limit);
    }

    public JobFilter beforeId(Long id) {
        return new JobFilter(queue, task, status, lock, createdFrom, createdTo, id, limit);
    }

    public JobFilter limit(int n) {
        return new JobFilter(queue, task, status, lock, createdFrom, createdTo, beforeId, n);
    }
}
