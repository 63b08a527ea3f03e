package dev.postpone.admin;

import java.time.Instant;
import java.util.List;

/**
 * A job as stored: what the admin commands and a dashboard show.
 *
 * <p>{@link JobAdmin#get} fills every field; lists ({@link JobAdmin#list}, {@link JobAdmin#search},
 * {@link JobAdmin#running}) leave out the heavy or per-job ones: the attempt history (empty) and the result
 * (null); {@link JobAdmin#list} also the abort request (null); search and running the last error's trace.
 *
 * @param args           the arguments as JSON text
 * @param workerId       the worker running it (while doing) or that ran it last
 * @param lastError      message of the last failed attempt (kept after a later success)
 * @param lastErrorTrace stack trace of the last failed attempt
 * @param abortRequest   who asked to stop the job while it ran, and when; null when nobody did
 * @param attemptHistory every attempt recorded, oldest first (see {@link Attempt} for what is kept)
 * @param result         what the handler returned, as JSON text, for a succeeded job; null when it
 *                       returned nothing (or its result was not stored: see the last attempt's note)
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
        String lastErrorTrace,
        AbortRequest abortRequest,
        List<Attempt> attemptHistory,
        String result) {

    public Job {
        attemptHistory = attemptHistory == null ? List.of() : List.copyOf(attemptHistory);
    }

    /** True while the job runs and someone asked to stop its current attempt: it ends cancelled unless it finishes first. */
    public boolean stopRequested() {
        return status == JobStatus.DOING && abortRequest != null && abortRequest.attempt() == attempts;
    }
}
