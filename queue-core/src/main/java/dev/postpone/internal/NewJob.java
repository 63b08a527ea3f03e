package dev.postpone.internal;

import java.time.Instant;

/** A job about to be inserted; null fields take the database defaults. */
public record NewJob(
        String queue, String task, String argsJson, Integer priority, Instant scheduledAt, String lock,
        String queueingLock, Integer maxAttempts) {
}
