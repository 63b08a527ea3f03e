package dev.postpone.admin;

import java.time.Instant;

/**
 * What one queue's workers finished in one minute ({@link JobAdmin#activity(java.time.Duration)}), and how
 * long those jobs had waited from due to start.
 *
 * @param minute    the minute's start
 * @param estimated true when the minute had more finished jobs than the sample read, so the counts are
 *                  extrapolated from the sample's time span ("about")
 * @param waitP50   median of started − scheduled in milliseconds, null when unknown
 * @param waitP95   95th percentile of the same
 */
public record ActivityMinute(Instant minute, String queue, long succeeded, long failed, boolean estimated,
                             Double waitP50, Double waitP95) {
}
