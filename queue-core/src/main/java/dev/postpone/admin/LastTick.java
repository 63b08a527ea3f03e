package dev.postpone.admin;

import java.time.Instant;

/** The last cron tick a periodic task (and key) deferred a job for ({@link JobAdmin#periodicTicks()}). */
public record LastTick(String task, String key, Instant lastTick) {
}
