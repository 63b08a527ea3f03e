package dev.postpone.internal;

/**
 * A job taken back from a dead worker, as the rescue statement returns it: {@code status} is todo or
 * failed (out of attempts); {@code reason} says why the worker counts as dead.
 */
public record RescuedJob(long id, String task, String queue, String status, int attempts, int maxAttempts,
                         long fromWorkerId, String reason) {
}
