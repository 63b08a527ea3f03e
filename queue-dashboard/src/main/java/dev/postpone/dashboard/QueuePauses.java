package dev.postpone.dashboard;

import dev.postpone.admin.JobAdmin;
import dev.postpone.admin.QueuePause;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Pausing and resuming queues, for the Overview's Paused column and its pause/resume actions. The
 * dashboard uses the admin API's ({@link #of(JobAdmin)}) unless a host gives another.
 */
public interface QueuePauses {

    /** Paused queues and when each was paused. */
    Map<String, Instant> paused();

    void pause(String queue, String by);

    /** False when the queue was not paused. */
    boolean resume(String queue);

    /** The fleet-wide pauses of {@code admin} (schema release 1.1.0 on). */
    static QueuePauses of(JobAdmin admin) {
        return new QueuePauses() {
            @Override
            public Map<String, Instant> paused() {
                Map<String, Instant> paused = new TreeMap<>();
                for (QueuePause p : admin.pausedQueues()) paused.put(p.queue(), p.pausedAt());
                return paused;
            }

            @Override
            public void pause(String queue, String by) {
                admin.pause(queue, by);
            }

            @Override
            public boolean resume(String queue) {
                return admin.resume(queue);
            }
        };
    }
}
