package dev.postpone.admin;

/** A job a bulk change acted on, with its status afterwards (for a deleted job: the status it had). */
public record ChangedJob(long id, JobStatus status) {
}
