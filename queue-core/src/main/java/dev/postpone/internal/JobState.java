package dev.postpone.internal;

import dev.postpone.admin.JobStatus;

/** Where a job is in its life cycle: what waiting for it needs, without its arguments and errors. */
public record JobState(long id, String queue, JobStatus status) {
}
