package dev.postpone.dashboard;

import java.time.Instant;
import java.util.Map;

/**
 * Pausing and resuming queues, when the host's release has it: the Overview shows a Paused column and
 * pause/resume actions only when the dashboard was given one. (The admin API gains pause and resume
 * with fetch_jobs_v2; adapt {@code JobAdmin.pause/resume/pausedQueues} to this.)
 */
public interface QueuePauses {

    /** Paused queues and when each was paused. */
    Map<String, Instant> paused();

    void pause(String queue, String by);

    /** False when the queue was not paused. */
    boolean resume(String queue);
}
