package dev.postpone.admin;

import java.time.Instant;

/**
 * A job as stored: what the admin commands and a dashboard show.
 *
 * @param args           the arguments as JSON text
 * @param workerId       the worker running it (while doing) or that ran it last
 * @param lastError      message of the last failed attempt (kept after a later success)
 * @param lastErrorTrace stack trace of the last failed attempt
 */
public record Job(
        long id,
        String queue,
        String task,
        String args,
        JobStatus status,
        int priority,
        Instant scheduledAt,
        String lock,
        String queueingLock,
        int attempts,
        int maxAttempts,
        Long workerId,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        String lastError,
        String lastErrorTrace) {
}
