package dev.postpone.worker.internal;

import java.util.List;

/**
 * Routes what the listener hears: a "jobs due" notification for a queue this worker serves wakes the
 * producer; a schema notification (a migration phase was applied) asks for a schema re-check.
 * Called on the listener's thread (a Netty I/O thread for pgjdbc-ng): it must return fast.
 */
final class Notifications {

    private final String jobsChannel;
    private final String schemaChannel;
    private final List<String> queues;
    private final Wakeup wakeup;
    private final Runnable schemaChanged;

    Notifications(String jobsChannel, String schemaChannel, List<String> queues, Wakeup wakeup, Runnable schemaChanged) {
        this.jobsChannel = jobsChannel;
        this.schemaChannel = schemaChannel;
        this.queues = queues;
        this.wakeup = wakeup;
        this.schemaChanged = schemaChanged;
    }

    List<String> channels() {
        return List.of(jobsChannel, schemaChannel);
    }

    void received(String channel, String payload) {
        if (jobsChannel.equals(channel)) {
            if (queues == null || queues.contains(payload)) wakeup.jobsMayBeDue();
        } else if (schemaChannel.equals(channel)) {
            schemaChanged.run();
        }
    }

    /**
     * LISTEN is active (again). Notifications sent before (at start, or while disconnected) were not
     * heard: look for due jobs and schema changes now.
     */
    void listening() {
        wakeup.jobsMayBeDue();
        schemaChanged.run();
    }
}
