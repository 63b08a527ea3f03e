package dev.postpone.internal;

import java.time.Instant;

/** A job a worker has just claimed ({@code doing}); {@code attempt} counts this run. */
public record FetchedJob(
        long id, String queue, String task, String argsJson, int priority, String lock, String queueingLock,
        int attempt, int maxAttempts, Instant scheduledAt, Instant createdAt, Instant startedAt) {
}
