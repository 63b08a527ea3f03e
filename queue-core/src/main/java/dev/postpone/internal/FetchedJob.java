package dev.postpone.internal;

import java.time.Instant;

/**
 * A job a worker has just claimed ({@code doing}, not started: no attempt counted yet); {@code attempt}
 * is the number this run has once it starts, {@code startedAt} the time of the claim (database clock).
 */
public record FetchedJob(
        long id, String queue, String task, String argsJson, int priority, String lock, String queueingLock,
        int attempt, int maxAttempts, Instant scheduledAt, Instant createdAt, Instant startedAt) {
}
