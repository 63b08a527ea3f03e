package dev.postpone.admin;

import java.time.Instant;

/**
 * Someone cancelled the job while it ran ({@link JobAdmin#cancel(JobSelection)}, {@code postpone jobs
 * cancel}): its worker was asked to stop it. The request is for one attempt; it is kept on the job as a
 * record after the attempt ended, whatever the outcome.
 *
 * @param requestedAt when it was asked
 * @param requestedBy who asked (the client's user, host and name, or what the caller gave)
 * @param attempt     the attempt it was asked for
 */
public record AbortRequest(Instant requestedAt, String requestedBy, int attempt) {
}
