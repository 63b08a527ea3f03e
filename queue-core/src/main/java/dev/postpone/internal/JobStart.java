package dev.postpone.internal;

import java.time.Instant;

/**
 * A claimed job's handler started: what {@code start_jobs_v1} records so the attempt counts (a claim
 * alone counts none).
 *
 * @param workerId  the worker id the job was claimed under (only a job still doing for it changes)
 * @param jobId     the job
 * @param startedAt when the handler started
 */
public record JobStart(long workerId, long jobId, Instant startedAt) {
}
