package dev.postpone.worker.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes what the listener hears: a "jobs due" notification for a queue this worker serves wakes the
 * producer; an abort request ({@code {"worker_id", "job_ids"}}) goes to the executor, which ignores the
 * jobs it does not hold; a schema notification (a migration phase was applied) asks for a schema
 * re-check. Called on the listener's thread (a Netty I/O thread for pgjdbc-ng): it must return fast.
 */
final class Notifications {

    /** Receives the jobs of an abort notification. */
    @FunctionalInterface
    interface AbortRequests {
        void requested(long workerId, long jobId);
    }

    private static final Logger log = LoggerFactory.getLogger(Notifications.class);
    private static final ObjectMapper PAYLOAD = new ObjectMapper();

    private final String jobsChannel;
    private final String abortsChannel;
    private final String schemaChannel;
    private final List<String> queues;
    private final Wakeup wakeup;
    private final AbortRequests aborts;
    private final Runnable schemaChanged;

    Notifications(String jobsChannel, String abortsChannel, String schemaChannel, List<String> queues, Wakeup wakeup,
                  AbortRequests aborts, Runnable schemaChanged) {
        this.jobsChannel = jobsChannel;
        this.abortsChannel = abortsChannel;
        this.schemaChannel = schemaChannel;
        this.queues = queues;
        this.wakeup = wakeup;
        this.aborts = aborts;
        this.schemaChanged = schemaChanged;
    }

    List<String> channels() {
        return List.of(jobsChannel, abortsChannel, schemaChannel);
    }

    void received(String channel, String payload) {
        if (jobsChannel.equals(channel)) {
            if (queues == null || queues.contains(payload)) wakeup.jobsMayBeDue();
        } else if (abortsChannel.equals(channel)) {
            abortsRequested(payload);
        } else if (schemaChannel.equals(channel)) {
            schemaChanged.run();
        }
    }

    private void abortsRequested(String payload) {
        try {
            JsonNode n = PAYLOAD.readTree(payload);
            long workerId = n.path("worker_id").asLong();
            for (JsonNode id : n.path("job_ids")) aborts.requested(workerId, id.asLong());
        } catch (Exception e) {
            // Not ours to fail on: the abort poll finds the request anyway.
            log.debug("notification.unreadable channel=aborts payload=\"{}\" error=\"{}\"", payload, e.toString());
        }
    }

    /**
     * LISTEN is active (again). Notifications sent before (at start, or while disconnected) were not
     * heard: look for due jobs and schema changes now (abort requests are polled for anyway).
     */
    void listening() {
        wakeup.jobsMayBeDue();
        schemaChanged.run();
    }
}
