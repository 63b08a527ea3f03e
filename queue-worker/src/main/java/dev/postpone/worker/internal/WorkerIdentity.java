package dev.postpone.worker.internal;

import dev.postpone.internal.JobStore;
import dev.postpone.internal.WorkerRegistration;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The worker's row in the workers table, and whether the worker can prove it is alive. The id changes
 * when the worker registers again: after it was declared dead (heartbeat said so), or after a fetch
 * whose answer was lost (the jobs that fetch may have claimed stay with the old id, which no longer
 * heartbeats, so the rescuer hands them out again). Every job keeps the id it was fetched under, so its
 * outcome is written for that id.
 *
 * <p>Fencing: a worker whose last heartbeat failed, or succeeded too long ago, may already count as dead
 * to the others, who may take its jobs over; it must not take new ones until a heartbeat succeeds.
 */
final class WorkerIdentity {

    private final WorkerRegistration registration;
    private final JobStore store;
    private final long fenceAfterNanos;
    private final List<Long> retired = new CopyOnWriteArrayList<>();
    private volatile long id = -1;
    private volatile long provenAliveAt = System.nanoTime();
    private volatile boolean lastHeartbeatFailed;

    WorkerIdentity(WorkerRegistration registration, JobStore store) {
        this.registration = registration;
        this.store = store;
        // Half the stalled threshold: well before the heartbeat fallback lets another worker rescue its jobs.
        this.fenceAfterNanos = registration.stalledAfter().dividedBy(2).toNanos();
    }

    long id() {
        return id;
    }

    WorkerRegistration registration() {
        return registration;
    }

    /** Registers a new row; the previous id (if any) is remembered so shutdown can unregister it. */
    long register(Connection c) throws SQLException {
        long old = id;
        long fresh = store.registerWorker(c, registration, Instant.now());
        id = fresh;
        if (old >= 0) retired.add(old);
        provedAlive();
        return fresh;
    }

    /** A heartbeat (or registration) was recorded just now. */
    void provedAlive() {
        provenAliveAt = System.nanoTime();
        lastHeartbeatFailed = false;
    }

    /** A heartbeat failed: the worker's session (and with it its liveness lock) may be gone. */
    void heartbeatFailed() {
        lastHeartbeatFailed = true;
    }

    /** Whether the worker may take new jobs: its last heartbeat succeeded, recently enough. */
    boolean mayTakeJobs() {
        return !lastHeartbeatFailed && System.nanoTime() - provenAliveAt < fenceAfterNanos;
    }

    Duration sinceProvenAlive() {
        return Duration.ofNanos(System.nanoTime() - provenAliveAt);
    }

    /** Ids this worker used before, not unregistered yet. */
    List<Long> retired() {
        return List.copyOf(retired);
    }

    void forget(long retiredId) {
        retired.remove(retiredId);
    }
}
