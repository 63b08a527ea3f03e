package dev.postpone.internal;

import java.time.Instant;

/**
 * An attempt that ended, as the worker hands it to {@code complete_jobs_v2}: the outcome, and what the
 * job's attempt history records about the run.
 *
 * @param workerId   the worker id the job was claimed under (only a job still doing for it changes)
 * @param startedAt  when the handler started; null when it never did (cancelled while waiting for a slot)
 * @param finishedAt when the handler returned or threw
 */
public record FinishedAttempt(long workerId, String workerName, Instant startedAt, Instant finishedAt, Outcome outcome) {

    public long jobId() {
        return outcome.jobId();
    }
}
