package dev.postpone.admin;

import java.time.Instant;

/**
 * A queue at a glance ({@link JobAdmin#queueOverview(java.util.Collection, long)}). Waiting and scheduled
 * are counted up to a cap, so a backlog of millions costs no more than one of {@code cap}; a count
 * above the cap means "more than {@code cap}".
 *
 * @param waiting     waiting jobs due now (capped)
 * @param scheduled   waiting jobs due later (capped)
 * @param running     running jobs
 * @param oldestDueAt when the longest-waiting due job became due; null when none is due
 * @param cap         the cap the counts were taken with
 */
public record QueueOverview(String queue, long waiting, long scheduled, long running, Instant oldestDueAt, long cap) {

    public boolean waitingAboveCap() {
        return waiting > cap;
    }

    public boolean scheduledAboveCap() {
        return scheduled > cap;
    }
}
