package dev.postpone.internal;

import java.time.Instant;

/** The last cron tick deferred for a periodic task (and key). */
public record PeriodicTick(String task, String key, Instant lastTick) {
}
